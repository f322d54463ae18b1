"""Static checks of the committed notebooks in examples/ (no kernel needed).

Every notebook: valid nbformat 4 for the subspace kernel, stored with its
outputs cleared and null execution counts. Every lesson (NN-name.ipynb):
a title and a "What you will learn", LaTeX, "What to notice:" lines,
exercises each followed by a collapsed solution cell, and a last code cell
that checks the lesson's results (panics on a failed check).
"""

import glob
import os
import re
import unittest

import nbformat

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# SUBSPACE_EXAMPLES names another folder of notebooks to check (default examples/).
EXAMPLES = sorted(glob.glob(os.path.join(os.environ.get("SUBSPACE_EXAMPLES") or os.path.join(ROOT, "examples"), "*.ipynb")))
LESSON = re.compile(r"^\d\d-[a-z0-9-]+\.ipynb$")


def lessons():
    return [p for p in EXAMPLES if LESSON.match(os.path.basename(p))]


def is_solution(cell):
    return (cell.cell_type == "code" and "solution" in cell.metadata.get("tags", [])
            and cell.metadata.get("jupyter", {}).get("source_hidden") is True)


class CommittedNotebooks(unittest.TestCase):
    def test_found(self):
        self.assertTrue(lessons(), "no lesson notebooks (examples/NN-name.ipynb) found")

    def test_lesson_numbers_unique(self):
        numbers = [os.path.basename(p)[:2] for p in lessons()]
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        self.assertEqual(twice, [], f"lesson numbers used twice: {twice}")

    def test_outputs_cleared(self):
        for path in EXAMPLES:
            name = os.path.basename(path)
            with self.subTest(notebook=name):
                nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
                self.assertEqual(nb.nbformat, 4, name)
                nbformat.validate(nb)
                self.assertEqual(nb.metadata.get("kernelspec", {}).get("name"), "subspace", name)
                for i, cell in enumerate(nb.cells):
                    if cell.cell_type != "code":
                        continue
                    self.assertEqual(cell.get("outputs"), [], f"{name} cell {i}: outputs not cleared")
                    self.assertIsNone(cell.get("execution_count"), f"{name} cell {i}: execution_count not null")


class Lessons(unittest.TestCase):
    def test_structure(self):
        for path in lessons():
            name = os.path.basename(path)
            with self.subTest(lesson=name):
                nb = nbformat.read(path, as_version=4)
                markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
                self.assertTrue(nb.cells and nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "),
                                f"{name}: the first cell is not a Markdown title")
                self.assertIn("what you will learn", nb.cells[0].source.lower(), f"{name}: no 'What you will learn' under the title")
                self.assertTrue(any(re.search(r"\$[^$\n]+\$", m) for m in markdown), f"{name}: no LaTeX in the Markdown")
                self.assertTrue(any("What to notice:" in m for m in markdown), f"{name}: no 'What to notice:' line")

    def test_exercises_have_collapsed_solutions(self):
        """From the Markdown cell holding the "Exercises" heading (and the
        first exercise) to the last Markdown cell (the checks' heading),
        exercises (Markdown) and collapsed solutions (code) alternate: each
        exercise is followed by its solution."""
        for path in lessons():
            name = os.path.basename(path)
            with self.subTest(lesson=name):
                nb = nbformat.read(path, as_version=4)
                start = next((i for i, c in enumerate(nb.cells)
                              if c.cell_type == "markdown" and re.search(r"^#+ .*exercises", c.source, re.I | re.M)), None)
                self.assertIsNotNone(start, f"{name}: no Markdown cell with an Exercises heading")
                end = max(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown")
                part = nb.cells[start:end]
                self.assertGreaterEqual(len(part), 4, f"{name}: fewer than 2 exercises with solutions")
                for k, cell in enumerate(part):
                    i = start + k
                    if k % 2 == 0:
                        self.assertEqual(cell.cell_type, "markdown", f"{name} cell {i}: an exercise (Markdown) expected")
                    else:
                        self.assertTrue(is_solution(cell), f"{name} cell {i}: a collapsed solution cell expected "
                                        '(metadata "jupyter": {"source_hidden": true}, "tags": ["solution"])')
                self.assertEqual(len(part) % 2, 0, f"{name}: the last exercise has no solution")

    def test_last_cell_checks(self):
        for path in lessons():
            name = os.path.basename(path)
            with self.subTest(lesson=name):
                nb = nbformat.read(path, as_version=4)
                last = nb.cells[-1]
                self.assertEqual(last.cell_type, "code", f"{name}: the last cell is not code")
                self.assertFalse(is_solution(last), f"{name}: the last cell is a solution, not the checks")
                self.assertRegex(last.source, r"\bpanic\(", f"{name}: the last cell never panics on a failed check")
                self.assertRegex(last.source, r"[<>]|math\.Abs", f"{name}: the last cell compares no result with a bound")


if __name__ == "__main__":
    unittest.main()

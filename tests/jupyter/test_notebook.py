"""Executes notebooks/smoke.ipynb end to end with nbclient on the subspace
kernel and checks every cell's outputs."""

import os
import unittest

import nbformat
from nbclient import NotebookClient

HERE = os.path.dirname(os.path.abspath(__file__))


class SmokeNotebook(unittest.TestCase):
    def test_smoke_notebook(self):
        nb = nbformat.read(os.path.join(HERE, "notebooks", "smoke.ipynb"), as_version=4)
        NotebookClient(nb, kernel_name="subspace", timeout=120).execute()
        code = [c for c in nb.cells if c.cell_type == "code"]

        def only(cell, output_type):
            outs = [o for o in cell.outputs if o.output_type == output_type]
            self.assertEqual(len(outs), 1, cell.outputs)
            return outs[0]

        s = only(code[0], "stream")
        self.assertEqual((s.name, s.text), ("stdout", "hello from GO\n"))
        self.assertEqual(only(code[1], "execute_result").data["text/plain"], "6765")
        self.assertEqual(only(code[2], "execute_result").data["text/plain"], "4")
        shown = [o for o in code[3].outputs if o.output_type == "display_data"]
        self.assertEqual([sorted(o.data) for o in shown], [["text/html", "text/plain"], ["text/markdown", "text/plain"]])
        self.assertEqual(shown[0].data["text/html"], "<b>bold</b>")
        err = only(code[4], "error")
        self.assertIn("index out of range", err.evalue)
        self.assertEqual(only(code[5], "execute_result").data["text/plain"], "9")
        counts = [c.execution_count for c in code]
        self.assertEqual(counts, list(range(1, len(code) + 1)))


if __name__ == "__main__":
    unittest.main()

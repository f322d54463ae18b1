"""Writes notebooks/mistakes.ipynb (run from tests/jupyter with /usr/bin/python3):
the cells of test_mistakes.py and what each must give, in its metadata."""

import nbformat
from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell

cells = [new_markdown_cell("# Mistakes\n\nEvery code cell but the first and the last holds one mistake a Go user makes. "
    "`tests/jupyter/test_mistakes.py` runs the notebook with nbclient and checks, from each cell's `subspace_expect` "
    "metadata, that the error says what Go would say on the line that failed, that the state of the session survives "
    "and that the next cell runs. Cells marked `checker` are type mistakes, which the type checker rejects before "
    "anything runs.")]

def code(src, **expect):
    c = new_code_cell(src)
    c.metadata["subspace_expect"] = expect
    cells.append(c)

code('xs := []int{1, 2, 3}\ntotal := 0\nfmt.Println("ready")', stdout="ready\n")
# run-time mistakes: each increments total before it fails, so the last cell
# shows that the state survived every failure.
code('var seen map[string]bool\ntotal++\nseen["x"] = true',
     ename="panic", evalue="assignment to entry in nil map", line=3)
code('i := len(xs) + 2\ntotal++\nv := xs[i]',
     ename="panic", evalue="runtime error: index out of range [5] with length 3", line=3)
code('n := 0\ntotal++\nmean := total / n',
     ename="panic", evalue="runtime error: integer divide by zero", line=3)
code('type Point struct{ X, Y float64 }\nvar origin *Point\ntotal++\ndist := origin.X + origin.Y',
     ename="panic", evalue="runtime error: invalid memory address or nil pointer dereference", line=4)
code('var anything any = "text"\ntotal++\nnum := anything.(int)',
     ename="panic", evalue="interface conversion: interface {} is string, not int", line=3)
code('var ptr *int\ntotal++\n*ptr',
     ename="panic", evalue="runtime error: invalid memory address or nil pointer dereference", line=3)
code('func third(s []int) int {\n\treturn s[2]\n}\ntotal++\nthird(xs[:1])',
     ename="panic", evalue="runtime error: index out of range [2]", line=2)
code('total++\nstrconv.Atoi("forty-two")',
     ename="error", evalue='strconv.Atoi: parsing "forty-two": invalid syntax', line=2)
code('strconv.Atoi("42")', value="42")
# valid Go that yaegi v0.16.1 fails on (reflect: New(nil)) without the
# kernel's nil-assign rewrite
code('var pa, pb *int\npa, pb = nil, nil\npa == nil && pb == nil', value="true")
# type mistakes: rejected before running (part A of issue 15's checker);
# no side effects, so the last cell's value does not depend on them.
code('s := strings.Repeat(3, "a")',
     checker=True, evalue="cannot use 3 (untyped int constant) as string value in argument to strings.Repeat", line=1)
code('k := strconv.Atoi("3")',
     checker=True, evalue="assignment mismatch: 1 variable but strconv.Atoi returns 2 values", line=1)
code('var sb strings.Builder\nsb.Frobnicate()',
     checker=True, evalue="sb.Frobnicate undefined (type strings.Builder has no field or method Frobnicate)", line=2)
code('strings.Repeat("a")',
     checker=True, evalue="not enough arguments in call to strings.Repeat", line=1)
code('a, b, c := strconv.Atoi("1")',
     checker=True, evalue="assignment mismatch: 3 variables but strconv.Atoi returns 2 values", line=1)
code('strings := []string{"a", "b"}\nstrings.Join(strings, ",")',
     checker=True, evalue="strings.Join undefined (type []string has no field or method Join)", line=2)
code('fmt.Sprint(total, " ", xs)', value='"8 [1 2 3]"')

nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "subspace", "display_name": "Go (subspace)", "language": "go"}, "language_info": {"file_extension": ".go", "mimetype": "text/x-go", "name": "go"}})
nbformat.write(nb, "notebooks/mistakes.ipynb")

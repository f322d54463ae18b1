"""Jupyter protocol conformance of the subspace kernel, with jupyter_kernel_test.

Run through `make test-jupyter`, which installs the kernelspec into build/jupyter
(JUPYTER_DATA_DIR) first. Every feature the kernel supports is exercised; the
pager (code_page_something) is not: subspace answers help through
inspect_request instead of execute payloads.
"""

import unittest

import jupyter_kernel_test


class SubspaceKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "subspace"
    language_name = "go"
    file_extension = ".go"

    # Imports happen once, in setUpClass: the samples run several times in
    # one kernel.
    imports = 'import (\n\t"fmt"\n\t"os"\n\t"strings"\n\t"github.com/subspace-kernel/subspace/display"\n)'

    code_hello_world = 'import "fmt"\nfmt.Println("hello, world")'  # re-importing is fine
    code_stderr = 'fmt.Fprintln(os.Stderr, "to stderr")'

    completion_samples = [
        {"text": "fmt.Print", "matches": {"Print", "Printf", "Println"}},
        {"text": "strings.HasPr", "matches": {"HasPrefix"}},
    ]

    complete_code_samples = ["x := 1", 'import "fmt"\nfmt.Println(1)', "func f() int { return 1 }", "%who"]
    incomplete_code_samples = ["func f() {", "for i := 0; i < 3; i++ {", 'fmt.Println("a"', "x := []int{1,"]
    invalid_code_samples = ["x := )", "}", "func f() { return ) }"]

    code_generate_error = "undefinedThing + 1"

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "1.5 + 2", "result": "3.5"},
        {"code": '"go" + "pher"', "result": '"gopher"'},
        {"code": "len([]int{1, 2, 3}) > 2", "result": "true"},
    ]

    code_display_data = [
        {"code": 'display.Show(display.HTML("<b>bold</b>"))', "mime": "text/html"},
        {"code": 'display.Show(display.Markdown("*md*"))', "mime": "text/markdown"},
    ]

    code_history_pattern = "6 [*] 7"  # SQLite GLOB: [*] is a literal star
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "fmt.Println"

    code_clear_output = "display.ClearOutput(false)"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reply = cls.kc.execute_interactive(cls.imports, timeout=30)
        if reply["content"]["status"] != "ok":
            cls.tearDownClass()
            raise AssertionError(f"importing the packages the samples use failed: {reply['content']}")

    def test_subspace_user_variable_completion(self):
        self.flush_channels()
        reply, _ = self.execute_helper("subspaceCounter := 3")
        self.assertEqual(reply["content"]["status"], "ok")
        msg_id = self.kc.complete("subspaceCou")
        reply = self.get_non_kernel_info_reply(timeout=10)
        jupyter_kernel_test.validate_message(reply, "complete_reply", msg_id)
        self.assertEqual(reply["content"]["matches"], ["subspaceCounter"])
        self.assertEqual(reply["content"]["cursor_start"], 0)
        self.assertEqual(reply["content"]["cursor_end"], len("subspaceCou"))

    def test_subspace_kernel_info_fields(self):
        self.flush_channels()
        self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=10)
        c = reply["content"]
        self.assertEqual(c["protocol_version"], "5.3")
        self.assertEqual(c["implementation"], "subspace")
        li = c["language_info"]
        self.assertEqual(li["mimetype"], "text/x-go")
        self.assertEqual(li["pygments_lexer"], "go")
        self.assertEqual(li["codemirror_mode"], "go")
        self.assertRegex(li["version"], r"^\d+\.\d+")

    def test_subspace_execute_result_counts(self):
        self.flush_channels()
        r1, _ = self.execute_helper("1")
        r2, _ = self.execute_helper("2", store_history=False)
        r3, _ = self.execute_helper("3")
        c1, c2, c3 = (r["content"]["execution_count"] for r in (r1, r2, r3))
        self.assertEqual(c2, c1)
        self.assertEqual(c3, c1 + 1)


if __name__ == "__main__":
    unittest.main()

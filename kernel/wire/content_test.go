package wire

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/api"
)

// TestContent checks the JSON of every reply and iopub content the kernel
// sends, and its message type.
func TestContent(t *testing.T) {
	boom := &api.Error{Name: "panic", Value: "boom"}
	b := api.Bundle{Data: map[string]any{"text/plain": "1"}}
	for _, c := range []struct {
		content Content
		typ     string
		json    string
	}{
		{NewExecuteReply(3, nil, map[string]ExpressionResult{"x": NewExpressionResult(b, nil), "y": NewExpressionResult(api.Bundle{}, boom)}), "execute_reply",
			`{"status":"ok","execution_count":3,"user_expressions":{"x":{"status":"ok","data":{"text/plain":"1"},"metadata":{}},"y":{"status":"error","ename":"panic","evalue":"boom","traceback":[]}},"payload":[]}`},
		{NewExecuteReply(0, nil, nil), "execute_reply", `{"status":"ok","execution_count":0,"user_expressions":{},"payload":[]}`},
		{NewExecuteReply(4, boom, nil), "execute_reply",
			`{"status":"error","execution_count":4,"ename":"panic","evalue":"boom","traceback":[],"user_expressions":{},"payload":[]}`},
		{NewAbortedReply(), "execute_reply", `{"status":"aborted"}`},
		{NewErrorReply("history_reply", "BadRequest", errors.New("bad")), "history_reply",
			`{"status":"error","ename":"BadRequest","evalue":"bad","traceback":["bad"]}`},
		{NewCompleteReply(api.Completion{Matches: []string{"Println"}, CursorStart: 4, CursorEnd: 6, Types: []string{"func"}}), "complete_reply",
			`{"status":"ok","matches":["Println"],"cursor_start":4,"cursor_end":6,"metadata":{"_jupyter_types_experimental":[{"start":4,"end":6,"text":"Println","type":"func"}]}}`},
		{NewCompleteReply(api.Completion{}), "complete_reply",
			`{"status":"ok","matches":[],"cursor_start":0,"cursor_end":0,"metadata":{"_jupyter_types_experimental":[]}}`},
		{NewInspectReply(api.Inspection{Found: true, Text: "t", Markdown: "m"}), "inspect_reply",
			`{"status":"ok","found":true,"data":{"text/markdown":"m","text/plain":"t"},"metadata":{}}`},
		{NewInspectReply(api.Inspection{}), "inspect_reply", `{"status":"ok","found":false,"data":{},"metadata":{}}`},
		{NewIsCompleteReply("incomplete", ""), "is_complete_reply", `{"status":"incomplete","indent":""}`},
		{NewIsCompleteReply("complete", ""), "is_complete_reply", `{"status":"complete"}`},
		{NewHistoryReply([][]any{{1, 2, "x"}}), "history_reply", `{"status":"ok","history":[[1,2,"x"]]}`},
		{NewCommInfoReply(), "comm_info_reply", `{"status":"ok","comms":{}}`},
		{NewShutdownReply(true), "shutdown_reply", `{"status":"ok","restart":true}`},
		{NewInterruptReply(), "interrupt_reply", `{"status":"ok"}`},
		{Status{ExecutionState: "busy"}, "status", `{"execution_state":"busy"}`},
		{Stream{Name: "stdout", Text: "hi"}, "stream", `{"name":"stdout","text":"hi"}`},
		{NewDisplayData(b, "d1"), "display_data", `{"data":{"text/plain":"1"},"metadata":{},"transient":{"display_id":"d1"}}`},
		{UpdateDisplayData(NewDisplayData(b, "")), "update_display_data", `{"data":{"text/plain":"1"},"metadata":{},"transient":{}}`},
		{ClearOutput{Wait: true}, "clear_output", `{"wait":true}`},
		{ExecuteInput{Code: "x", ExecutionCount: 2}, "execute_input", `{"code":"x","execution_count":2}`},
		{NewExecuteResult(2, b), "execute_result", `{"execution_count":2,"data":{"text/plain":"1"},"metadata":{}}`},
		{NewErrorOutput(boom), "error", `{"ename":"panic","evalue":"boom","traceback":[]}`},
		{CommClose{CommID: "c"}, "comm_close", `{"comm_id":"c","data":null}`},
		{InputRequest{Prompt: "? "}, "input_request", `{"prompt":"? ","password":false}`},
	} {
		data, err := json.Marshal(c.content)
		if err != nil {
			t.Fatal(err)
		}
		if c.content.MsgType() != c.typ || string(data) != c.json {
			t.Errorf("%T: %s %s\nwant %s %s", c.content, c.content.MsgType(), data, c.typ, c.json)
		}
	}
	ki, _ := json.Marshal(NewKernelInfoReply("1.2.3", "banner"))
	for _, want := range []string{`"status":"ok"`, `"protocol_version":"5.3"`, `"implementation":"subspace"`, `"implementation_version":"1.2.3"`,
		`"language_info":{"name":"go"`, `"file_extension":".go"`, `"banner":"banner"`, `"debugger":false`, `"help_links":[{"text":"Go documentation"`} {
		if !strings.Contains(string(ki), want) {
			t.Errorf("kernel_info_reply %s lacks %s", ki, want)
		}
	}
}

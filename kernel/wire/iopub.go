package wire

import "github.com/subspace-kernel/subspace/api"

// The contents of the messages the kernel publishes on iopub, and of its
// input requests.

// Status is the content of status: "starting", "busy" or "idle".
type Status struct {
	ExecutionState string `json:"execution_state"`
}

func (Status) MsgType() string { return "status" }

// Stream is the content of stream: text of "stdout" or "stderr".
type Stream struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

func (Stream) MsgType() string { return "stream" }

// DisplayData is the content of display_data.
type DisplayData struct {
	Data      map[string]any `json:"data"`
	Metadata  map[string]any `json:"metadata"`
	Transient map[string]any `json:"transient"`
}

func (DisplayData) MsgType() string { return "display_data" }

// NewDisplayData shows b, named displayID when not empty.
func NewDisplayData(b api.Bundle, displayID string) DisplayData {
	t := map[string]any{}
	if displayID != "" {
		t["display_id"] = displayID
	}
	return DisplayData{Data: orEmpty(b.Data), Metadata: orEmpty(b.Metadata), Transient: t}
}

// UpdateDisplayData is the content of update_display_data.
type UpdateDisplayData DisplayData

func (UpdateDisplayData) MsgType() string { return "update_display_data" }

// ClearOutput is the content of clear_output.
type ClearOutput struct {
	Wait bool `json:"wait"`
}

func (ClearOutput) MsgType() string { return "clear_output" }

// ExecuteInput is the content of execute_input.
type ExecuteInput struct {
	Code           string `json:"code"`
	ExecutionCount int    `json:"execution_count"`
}

func (ExecuteInput) MsgType() string { return "execute_input" }

// ExecuteResult is the content of execute_result.
type ExecuteResult struct {
	ExecutionCount int            `json:"execution_count"`
	Data           map[string]any `json:"data"`
	Metadata       map[string]any `json:"metadata"`
}

func (ExecuteResult) MsgType() string { return "execute_result" }

// NewExecuteResult is the value b of the execution numbered count.
func NewExecuteResult(count int, b api.Bundle) ExecuteResult {
	return ExecuteResult{ExecutionCount: count, Data: orEmpty(b.Data), Metadata: orEmpty(b.Metadata)}
}

// ErrorOutput is the content of error.
type ErrorOutput struct{ ErrorFields }

func (ErrorOutput) MsgType() string { return "error" }

// NewErrorOutput shows err.
func NewErrorOutput(err *api.Error) ErrorOutput { return ErrorOutput{*errorFields(err)} }

// CommClose is the content of comm_close.
type CommClose struct {
	CommID string         `json:"comm_id"`
	Data   map[string]any `json:"data"`
}

func (CommClose) MsgType() string { return "comm_close" }

// InputRequest is the content of input_request (on stdin).
type InputRequest struct {
	Prompt   string `json:"prompt"`
	Password bool   `json:"password"`
}

func (InputRequest) MsgType() string { return "input_request" }

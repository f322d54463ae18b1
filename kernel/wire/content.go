package wire

import (
	"runtime"
	"strings"

	"github.com/subspace-kernel/subspace/api"
)

// Content is the content of a message the kernel sends; its MsgType is the
// message's type.
type Content interface{ MsgType() string }

// ErrorFields are the fields of an error: of replies with status "error",
// of the iopub error message, of a failed user expression.
type ErrorFields struct {
	Ename     string   `json:"ename"`
	Evalue    string   `json:"evalue"`
	Traceback []string `json:"traceback"`
}

func errorFields(e *api.Error) *ErrorFields {
	tb := e.Traceback
	if tb == nil {
		tb = []string{}
	}
	return &ErrorFields{Ename: e.Name, Evalue: e.Value, Traceback: tb}
}

// ExecuteReply is the content of execute_reply.
type ExecuteReply struct {
	Status         string `json:"status"` // "ok", "error" or "aborted"
	ExecutionCount *int   `json:"execution_count,omitempty"`
	*ErrorFields
	UserExpressions map[string]ExpressionResult `json:"user_expressions,omitzero"`
	Payload         []any                       `json:"payload,omitzero"`
}

func (ExecuteReply) MsgType() string { return "execute_reply" }

// NewExecuteReply answers an execution numbered count: with status
// "error" when err is not nil, else "ok" with the user expressions'
// results.
func NewExecuteReply(count int, err *api.Error, userExpressions map[string]ExpressionResult) ExecuteReply {
	r := ExecuteReply{Status: "ok", ExecutionCount: &count, UserExpressions: userExpressions, Payload: []any{}}
	if r.UserExpressions == nil {
		r.UserExpressions = map[string]ExpressionResult{}
	}
	if err != nil {
		r.Status, r.ErrorFields = "error", errorFields(err)
		r.UserExpressions = map[string]ExpressionResult{}
	}
	return r
}

// NewAbortedReply answers an execute request aborted after an error.
func NewAbortedReply() ExecuteReply { return ExecuteReply{Status: "aborted"} }

// ExpressionResult is the result of a user expression: its bundle, or an
// error.
type ExpressionResult struct {
	Status   string         `json:"status"`
	Data     map[string]any `json:"data,omitzero"`
	Metadata map[string]any `json:"metadata,omitzero"`
	*ErrorFields
}

// NewExpressionResult is the result of a user expression: b, or err when
// not nil.
func NewExpressionResult(b api.Bundle, err *api.Error) ExpressionResult {
	if err != nil {
		return ExpressionResult{Status: "error", ErrorFields: errorFields(err)}
	}
	return ExpressionResult{Status: "ok", Data: orEmpty(b.Data), Metadata: orEmpty(b.Metadata)}
}

// ErrorReply is the reply to a request that could not be read: any reply
// type with status "error".
type ErrorReply struct {
	msgType string
	Status  string `json:"status"`
	ErrorFields
}

func (r ErrorReply) MsgType() string { return r.msgType }

// NewErrorReply answers with a reply of msgType saying err (as ename name).
func NewErrorReply(msgType, name string, err error) ErrorReply {
	return ErrorReply{msgType: msgType, Status: "error",
		ErrorFields: ErrorFields{Ename: name, Evalue: err.Error(), Traceback: []string{err.Error()}}}
}

// KernelInfoReply is the content of kernel_info_reply.
type KernelInfoReply struct {
	Status                string       `json:"status"`
	ProtocolVersion       string       `json:"protocol_version"`
	Implementation        string       `json:"implementation"`
	ImplementationVersion string       `json:"implementation_version"`
	LanguageInfo          LanguageInfo `json:"language_info"`
	Banner                string       `json:"banner"`
	Debugger              bool         `json:"debugger"`
	HelpLinks             []HelpLink   `json:"help_links"`
}

func (KernelInfoReply) MsgType() string { return "kernel_info_reply" }

// LanguageInfo describes the kernel's language (Go).
type LanguageInfo struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	Mimetype       string `json:"mimetype"`
	FileExtension  string `json:"file_extension"`
	PygmentsLexer  string `json:"pygments_lexer"`
	CodemirrorMode string `json:"codemirror_mode"`
}

// HelpLink is a link of the kernel's help menu.
type HelpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

// NewKernelInfoReply describes the subspace kernel of the given version,
// with banner, running Go of the running toolchain.
func NewKernelInfoReply(version, banner string) KernelInfoReply {
	return KernelInfoReply{
		Status: "ok", ProtocolVersion: ProtocolVersion, Implementation: "subspace", ImplementationVersion: version,
		LanguageInfo: LanguageInfo{Name: "go", Version: strings.TrimPrefix(runtime.Version(), "go"), Mimetype: "text/x-go",
			FileExtension: ".go", PygmentsLexer: "go", CodemirrorMode: "go"},
		Banner: banner,
		HelpLinks: []HelpLink{
			{Text: "Go documentation", URL: "https://go.dev/doc/"},
			{Text: "Go standard library", URL: "https://pkg.go.dev/std"},
			{Text: "yaegi", URL: "https://github.com/traefik/yaegi"},
		},
	}
}

// CompleteReply is the content of complete_reply.
type CompleteReply struct {
	Status      string           `json:"status"`
	Matches     []string         `json:"matches"`
	CursorStart int              `json:"cursor_start"`
	CursorEnd   int              `json:"cursor_end"`
	Metadata    CompleteMetadata `json:"metadata"`
}

func (CompleteReply) MsgType() string { return "complete_reply" }

// CompleteMetadata carries the kinds of the matches (JupyterLab shows them).
type CompleteMetadata struct {
	Types []CompletionType `json:"_jupyter_types_experimental"`
}

// CompletionType is the kind of one match.
type CompletionType struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
	Type  string `json:"type"`
}

// NewCompleteReply answers a complete request with c.
func NewCompleteReply(c api.Completion) CompleteReply {
	r := CompleteReply{Status: "ok", Matches: c.Matches, CursorStart: c.CursorStart, CursorEnd: c.CursorEnd}
	if r.Matches == nil {
		r.Matches = []string{}
	}
	r.Metadata.Types = make([]CompletionType, 0, len(r.Matches))
	for i, m := range r.Matches {
		t := ""
		if i < len(c.Types) {
			t = c.Types[i]
		}
		r.Metadata.Types = append(r.Metadata.Types, CompletionType{Start: c.CursorStart, End: c.CursorEnd, Text: m, Type: t})
	}
	return r
}

// InspectReply is the content of inspect_reply.
type InspectReply struct {
	Status   string         `json:"status"`
	Found    bool           `json:"found"`
	Data     map[string]any `json:"data"`
	Metadata map[string]any `json:"metadata"`
}

func (InspectReply) MsgType() string { return "inspect_reply" }

// NewInspectReply answers an inspect request with in (text/plain and, when
// there is one, text/markdown).
func NewInspectReply(in api.Inspection) InspectReply {
	data := map[string]any{}
	if in.Found {
		data["text/plain"] = in.Text
		if in.Markdown != "" {
			data["text/markdown"] = in.Markdown
		}
	}
	return InspectReply{Status: "ok", Found: in.Found, Data: data, Metadata: map[string]any{}}
}

// IsCompleteReply is the content of is_complete_reply.
type IsCompleteReply struct {
	Status string  `json:"status"`
	Indent *string `json:"indent,omitempty"` // only for "incomplete"
}

func (IsCompleteReply) MsgType() string { return "is_complete_reply" }

// NewIsCompleteReply answers an is_complete request.
func NewIsCompleteReply(status, indent string) IsCompleteReply {
	r := IsCompleteReply{Status: status}
	if status == "incomplete" {
		r.Indent = &indent
	}
	return r
}

// HistoryReply is the content of history_reply.
type HistoryReply struct {
	Status  string  `json:"status"`
	History [][]any `json:"history"`
}

func (HistoryReply) MsgType() string { return "history_reply" }

// NewHistoryReply answers a history request with entries.
func NewHistoryReply(entries [][]any) HistoryReply {
	return HistoryReply{Status: "ok", History: entries}
}

// CommInfoReply is the content of comm_info_reply.
type CommInfoReply struct {
	Status string         `json:"status"`
	Comms  map[string]any `json:"comms"`
}

func (CommInfoReply) MsgType() string { return "comm_info_reply" }

// NewCommInfoReply answers that no comms are open.
func NewCommInfoReply() CommInfoReply { return CommInfoReply{Status: "ok", Comms: map[string]any{}} }

// ShutdownReply is the content of shutdown_reply.
type ShutdownReply struct {
	Status  string `json:"status"`
	Restart bool   `json:"restart"`
}

func (ShutdownReply) MsgType() string { return "shutdown_reply" }

// NewShutdownReply answers a shutdown request.
func NewShutdownReply(restart bool) ShutdownReply {
	return ShutdownReply{Status: "ok", Restart: restart}
}

// InterruptReply is the content of interrupt_reply.
type InterruptReply struct {
	Status string `json:"status"`
}

func (InterruptReply) MsgType() string { return "interrupt_reply" }

// NewInterruptReply answers an interrupt request.
func NewInterruptReply() InterruptReply { return InterruptReply{Status: "ok"} }

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

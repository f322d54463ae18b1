package cell

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"text/tabwriter"
)

// builtinMagics are the magics every session has.
func builtinMagics() []Magic {
	return []Magic{
		{Name: "time", Help: "%time STMT times one statement; %%time on the first line times the whole cell (wall time)", Run: magicTime},
		{Name: "who", Help: "list the variables and constants declared by cells, with their types", Run: magicWho},
		{Name: "reset", Help: "fresh interpreter: forget all declarations and imports (-f accepted; plugins and magics stay)", Run: magicReset},
		{Name: "env", Help: "%env lists the environment, %env NAME shows one variable, %env NAME=value sets it", Run: magicEnv},
		{Name: "help", Help: "list the magics", Run: magicHelp},
	}
}

// runMagic runs magic name; for a cell magic (%%name) body is the rest of
// the cell and src the cell with the magic line blanked (for %%time).
func (s *Session) runMagic(ctx context.Context, name, line, body, src string, cellMagic bool, n int) Result {
	if name == "time" && cellMagic {
		return s.timed(func() Result { return s.run(ctx, src, n) })
	}
	s.symMu.Lock()
	m, ok := s.magics[name]
	s.symMu.Unlock()
	if !ok {
		known := s.magicNames()
		return Result{Err: &Error{Name: "UnknownMagic", Value: fmt.Sprintf("unknown magic %%%s; known magics: %s", name, strings.Join(known, ", ")),
			Traceback: []string{fmt.Sprintf("UnknownMagic: %%%s is not a magic. Known: %s (see %%help)", name, strings.Join(known, " "))}}}
	}
	if err := m.Run(ctx, s, line, body); err != nil {
		if e, ok := err.(*Error); ok {
			return Result{Err: e}
		}
		return Result{Err: &Error{Name: "MagicError", Value: fmt.Sprintf("%%%s: %v", name, err),
			Traceback: []string{fmt.Sprintf("%%%s failed: %v", name, err)}}}
	}
	s.out.outPipe.Flush(defaultFlush)
	return Result{}
}

func (s *Session) magicNames() []string {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	var names []string
	for k := range s.magics {
		names = append(names, "%"+k)
	}
	sort.Strings(names)
	return names
}

// magicTime is %time run through Magic.Run by other code: it runs line (or
// body) as Go in the session and prints the wall time. Execute handles
// %time itself (to keep the value and positions).
func magicTime(ctx context.Context, s *Session, line, body string) error {
	code := line
	if body != "" {
		code = body
	}
	s.count++
	n := s.count
	s.cells[n] = code
	r := s.timed(func() Result { return s.run(ctx, code, n) })
	if r.Err != nil {
		return r.Err
	}
	return nil
}

func magicWho(ctx context.Context, s *Session, line, body string) error {
	kinds := map[string]string{}
	var names []string
	for _, g := range s.rec.symbols() {
		if g.Kind == "var" || g.Kind == "const" {
			names = append(names, g.Name)
			kinds[g.Name] = g.Kind
		}
	}
	sort.Strings(names)
	w := s.Stdout()
	if len(names) == 0 {
		fmt.Fprintln(w, "No variables.")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "Name\tKind\tType")
	for _, name := range names {
		kind := kinds[name]
		typ := "?"
		if v, err := s.interp().Eval(name); err == nil && v.IsValid() {
			typ = typeString(v)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", name, kind, typ)
	}
	return tw.Flush()
}

// typeString names the type of a value read from the interpreter.
func typeString(v reflect.Value) string {
	if v.Kind() == reflect.Interface && !v.IsNil() {
		return v.Elem().Type().String()
	}
	return v.Type().String()
}

func magicReset(ctx context.Context, s *Session, line, body string) error {
	if line != "" && line != "-f" {
		return fmt.Errorf("unknown argument %q (usage: %%reset or %%reset -f)", line)
	}
	if err := s.reset(); err != nil {
		return err
	}
	fmt.Fprintln(s.Stdout(), "Session reset: declarations and imports forgotten.")
	return nil
}

func magicEnv(ctx context.Context, s *Session, line, body string) error {
	w := s.Stdout()
	switch {
	case line == "":
		env := os.Environ()
		sort.Strings(env)
		for _, e := range env {
			fmt.Fprintln(w, e)
		}
	case strings.ContainsAny(line, "= "):
		name, val, _ := strings.Cut(line, "=")
		if !strings.Contains(line, "=") {
			name, val, _ = strings.Cut(line, " ")
		}
		name, val = strings.TrimSpace(name), strings.TrimSpace(val)
		if name == "" {
			return fmt.Errorf("missing variable name (usage: %%env NAME=value)")
		}
		if err := os.Setenv(name, val); err != nil {
			return err
		}
		fmt.Fprintf(w, "env: %s=%s\n", name, val)
	default:
		v, ok := os.LookupEnv(line)
		if !ok {
			return fmt.Errorf("environment variable %s is not set", line)
		}
		fmt.Fprintln(w, v)
	}
	return nil
}

func magicHelp(ctx context.Context, s *Session, line, body string) error {
	s.symMu.Lock()
	var ms []Magic
	for _, m := range s.magics {
		ms = append(ms, m)
	}
	s.symMu.Unlock()
	sort.Slice(ms, func(i, j int) bool { return ms[i].Name < ms[j].Name })
	tw := tabwriter.NewWriter(s.Stdout(), 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "Magics (at the top of a cell; Go code may follow):")
	for _, m := range ms {
		fmt.Fprintf(tw, "  %%%s\t%s\n", m.Name, m.Help)
	}
	fmt.Fprintf(tw, "  %%%%time\ttime the whole cell (first line)\n")
	return tw.Flush()
}

package magic

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// builtins are the magics every registry starts with; %help lists r.
func builtins(r *Registry) []Magic {
	return []Magic{
		{Name: "time", Help: "%time STMT times one statement; %%time on the first line times the whole cell (wall time)", Run: timeMagic},
		{Name: "who", Help: "list the variables and constants declared by cells, with their types", Run: who},
		{Name: "reset", Help: "fresh interpreter: forget all declarations and imports, freeing the few KB of heap each cell keeps in yaegi (-f accepted; plugins and magics stay)", Run: reset},
		{Name: "env", Help: "%env lists the environment, %env NAME shows one variable, %env NAME=value sets it", Run: env},
		{Name: "help", Help: "list the magics", Run: func(ctx context.Context, s Session, args, body string) error { return help(r, s) }},
	}
}

// timeMagic is %time run through Run by other code (a session runs the
// Time and TimeCell steps itself, keeping positions and the value): it
// runs args (or body) as a cell and prints the wall time.
func timeMagic(ctx context.Context, s Session, args, body string) error {
	code := args
	if body != "" {
		code = body
	}
	start := time.Now()
	err := s.Run(ctx, code)
	fmt.Fprintf(s.Stdout(), "Wall time: %s\n", FormatWall(time.Since(start)))
	return err
}

// FormatWall formats a duration the way IPython's %time does: µs below a
// millisecond, ms with two decimals below a second, s with three above.
func FormatWall(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.3f s", d.Seconds())
	}
}

func who(ctx context.Context, s Session, args, body string) error {
	vars := s.Variables()
	sort.Slice(vars, func(i, j int) bool { return vars[i].Name < vars[j].Name })
	w := s.Stdout()
	if len(vars) == 0 {
		fmt.Fprintln(w, "No variables.")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "Name\tKind\tType")
	for _, v := range vars {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", v.Name, v.Kind, v.Type)
	}
	return tw.Flush()
}

func reset(ctx context.Context, s Session, args, body string) error {
	if args != "" && args != "-f" {
		return fmt.Errorf("unknown argument %q (usage: %%reset or %%reset -f)", args)
	}
	if err := s.Reset(); err != nil {
		return err
	}
	fmt.Fprintln(s.Stdout(), "Session reset: declarations and imports forgotten.")
	return nil
}

func env(ctx context.Context, s Session, args, body string) error {
	w := s.Stdout()
	switch {
	case args == "":
		all := os.Environ()
		sort.Strings(all)
		for _, e := range all {
			fmt.Fprintln(w, e)
		}
	case strings.ContainsAny(args, "= "):
		name, val, _ := strings.Cut(args, "=")
		if !strings.Contains(args, "=") {
			name, val, _ = strings.Cut(args, " ")
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
		v, ok := os.LookupEnv(args)
		if !ok {
			return fmt.Errorf("environment variable %s is not set", args)
		}
		fmt.Fprintln(w, v)
	}
	return nil
}

func help(r *Registry, s Session) error {
	tw := tabwriter.NewWriter(s.Stdout(), 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "Magics (at the top of a cell; Go code may follow):")
	for _, m := range r.All() {
		fmt.Fprintf(tw, "  %%%s\t%s\n", m.Name, m.Help)
	}
	fmt.Fprintf(tw, "  %%%%time\ttime the whole cell (first line)\n")
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprint(s.Stdout(), cellHelp)
	return err
}

// cellHelp tells what cells add to Go: the type checking before a cell
// runs and the built-in must.
const cellHelp = `
Cells are Go, type-checked before they run: a type error is reported with
Go's message at the cell's line and column, and nothing of the cell runs.
Unused variables and imports are allowed; a bare expression on the last
line is the cell's value.

Built-in (a cell may declare its own of the same name instead):
  must(f())     f returns (v, error): gives v, or fails the cell with the error
  must(v, err)  the same with the two values
  must(err)     fails the cell when err is not nil
  e.g. acts := must(net.Activations(x))
`

package main

import (
	"fmt"
	"io"
	"sort"
)

// Command is a subcommand of the subspace binary. Other parts of the
// project add commands by putting a file in this directory whose init
// function calls register (e.g. "plugin").
type Command struct {
	Name    string
	Summary string // one line for the usage text
	// Run executes the command with the arguments after its name; the
	// error is printed and the process exits with status 1 (2 for a
	// usageError).
	Run func(args []string) error
}

// usageError marks errors in the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

var commands = map[string]*Command{}

// register adds c; registering a name twice is a programming error.
func register(c *Command) {
	if _, dup := commands[c.Name]; dup {
		panic("subspace: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: subspace <command> [arguments]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].Summary)
	}
	fmt.Fprintln(w, "\nRun 'subspace <command> -h' for a command's options.")
}

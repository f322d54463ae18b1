package main

import (
	"fmt"
	"io"
	"sort"
)

// Command is a subcommand of the subspace binary (listed in commands).
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

// commands are the subcommands of the binary, by name.
var commands = byName(kernelCommand, installCommand, versionCommand, pluginCommand)

// byName indexes commands by name; a name twice is a programming error.
func byName(cs ...*Command) map[string]*Command {
	m := map[string]*Command{}
	for _, c := range cs {
		if _, dup := m[c.Name]; dup {
			panic("subspace: command listed twice: " + c.Name)
		}
		m[c.Name] = c
	}
	return m
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

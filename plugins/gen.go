package plugins

//go:generate go run ./internal/gen -root .. -out plugins/symbols

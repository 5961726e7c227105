//go:build tools

// Package tools pins the upstream command built by deploy/dev/stack.sh.
package tools

import (
	_ "github.com/ollama/ollama"
)

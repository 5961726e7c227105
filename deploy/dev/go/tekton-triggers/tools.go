//go:build tools

// Package tools pins the upstream command built as is by deploy/dev/servers/*-tekton-triggers.sh;
// cmd/controller and cmd/interceptors are upstream's mains with a port flag (see their headers).
package tools

import (
	_ "github.com/tektoncd/triggers/cmd/eventlistenersink"
)

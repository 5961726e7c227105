//go:build tools

// Package tools pins the upstream commands built by deploy/dev/stack.sh.
package tools

import (
	_ "sigs.k8s.io/kwok/cmd/kwok"
)

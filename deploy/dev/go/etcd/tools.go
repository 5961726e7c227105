//go:build tools

// Package tools pins the upstream commands built by deploy/dev/stack.sh.
package tools

import (
	_ "go.etcd.io/etcd/etcdctl/v3"
	_ "go.etcd.io/etcd/server/v3"
)

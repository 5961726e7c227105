// Kubemate dev stack launcher for the Tekton Triggers controller (EventListener, ClusterInterceptor
// and Interceptor reconcilers of github.com/tektoncd/triggers, used as a library) as a host process
// next to a local cluster. Written for this repository: it only wires the upstream reconcilers with
// what a host process needs — its own probe port (several controllers share the host), no leader
// election (one replica per cluster) and the EventListener settings from flags (upstream defaults).
package main

import (
	"flag"
	"log"
	"os"

	"github.com/tektoncd/triggers/pkg/reconciler/clusterinterceptor"
	"github.com/tektoncd/triggers/pkg/reconciler/eventlistener"
	el "github.com/tektoncd/triggers/pkg/reconciler/eventlistener/resources"
	"github.com/tektoncd/triggers/pkg/reconciler/interceptor"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	filtered "knative.dev/pkg/client/injection/kube/informers/factory/filtered"
	"knative.dev/pkg/injection"
	"knative.dev/pkg/injection/sharedmain"
	"knative.dev/pkg/signals"
)

func main() {
	probesPort := flag.Int("probes-port", 0, "port of the /health and /readiness probes (required)")
	image := flag.String("el-image", el.DefaultImage, "EventListener sink image written into its Deployment (never pulled here)")
	port := flag.Int("el-port", el.DefaultPort, "EventListener sink container port")
	events := flag.String("el-events", el.DefaultEventListenerEvent, "emit EventListener events (enable|disable)")
	cfg := injection.ParseAndGetRESTConfigOrDie() // parses the flags, including -kubeconfig
	if *probesPort == 0 {
		log.Fatal("-probes-port is required")
	}

	// Everything not set by a flag keeps upstream's default.
	securityContext, readOnlyRoot := el.DefaultSetSecurityContext, el.DefaultSetReadOnlyRootFilesystem
	read, write, idle, handler := el.DefaultReadTimeout, el.DefaultWriteTimeout, el.DefaultIdleTimeout, el.DefaultTimeOutHandler
	clientRead, keepAlive := el.DefaultHTTPClientReadTimeOut, el.DefaultHTTPClientKeepAlive
	tlsHandshake, respHeader, expect := el.DefaultHTTPClientTLSHandshakeTimeout,
		el.DefaultHTTPClientResponseHeaderTimeout, el.DefaultHTTPClientExpectContinueTimeout
	period, failures := el.DefaultPeriodSeconds, el.DefaultFailureThreshold
	config := el.Config{
		Image: image, Port: port, SetEventListenerEvent: events,
		SetSecurityContext: &securityContext, SetReadOnlyRootFilesystem: &readOnlyRoot,
		ReadTimeOut: &read, WriteTimeOut: &write, IdleTimeOut: &idle, TimeOutHandler: &handler,
		HTTPClientReadTimeOut: &clientRead, HTTPClientKeepAlive: &keepAlive,
		HTTPClientTLSHandshakeTimeout: &tlsHandshake, HTTPClientResponseHeaderTimeout: &respHeader,
		HTTPClientExpectContinueTimeout: &expect,
		PeriodSeconds:                   &period, FailureThreshold: &failures,
		StaticResourceLabels: el.DefaultStaticResourceLabels,
		SystemNamespace:      os.Getenv("SYSTEM_NAMESPACE"),
	}

	ctx := injection.WithNamespaceScope(signals.NewContext(), corev1.NamespaceAll)
	ctx = filtered.WithSelectors(ctx, labels.FormatLabels(el.DefaultStaticResourceLabels))
	ctx = sharedmain.WithHADisabled(ctx)
	ctx = sharedmain.WithHealthProbesDisabled(ctx) // served below on our own port instead
	go func() {
		if err := injection.ServeHealthProbes(ctx, *probesPort); err != nil {
			log.Fatalf("health probes on :%d: %v", *probesPort, err)
		}
	}()
	sharedmain.MainWithConfig(ctx, "controller", cfg,
		eventlistener.NewController(config), clusterinterceptor.NewController(), interceptor.NewController())
}

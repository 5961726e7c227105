// Kubemate dev stack launcher for Tekton Triggers' core interceptors (github, gitlab, bitbucket,
// cel, slack from github.com/tektoncd/triggers/pkg/interceptors/server, used as a library) as a
// host process next to a local cluster. Written for this repository: it serves them on an address
// and port of our choosing (several clusters' interceptors share the host); the certificate comes
// from the Secret named by INTERCEPTOR_TLS_SECRET_NAME, which the stack pre-fills for 127.0.0.1,
// and the CA bundle is written to the ClusterInterceptors as upstream does.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"time"

	triggers "github.com/tektoncd/triggers/pkg/client/clientset/versioned"
	"github.com/tektoncd/triggers/pkg/interceptors"
	"github.com/tektoncd/triggers/pkg/interceptors/server"
	"go.uber.org/zap"
	kubeclient "knative.dev/pkg/client/injection/kube/client"
	"knative.dev/pkg/injection"
	"knative.dev/pkg/logging"
	"knative.dev/pkg/signals"
)

func main() {
	address := flag.String("address", "127.0.0.1", "listen address")
	port := flag.Int("port", 0, "HTTPS port (required)")
	cfg := injection.ParseAndGetRESTConfigOrDie() // parses the flags, including -kubeconfig
	if *port == 0 {
		log.Fatal("-port is required")
	}
	zl, err := zap.NewProduction()
	if err != nil {
		log.Fatalf("logger: %v", err)
	}
	logger := zl.Sugar()
	ctx, startInformers := injection.EnableInjectionOrDie(logging.WithLogger(signals.NewContext(), logger), cfg)
	kube := kubeclient.Get(ctx).CoreV1()

	service, err := server.NewWithCoreInterceptors(interceptors.DefaultSecretGetter(kube), logger)
	if err != nil {
		logger.Fatalf("core interceptors: %v", err)
	}
	startInformers()
	tc, err := triggers.NewForConfig(cfg)
	if err != nil {
		logger.Fatalf("triggers client: %v", err)
	}
	server.CreateAndValidateCerts(ctx, kube, logger, service, tc.TriggersV1alpha1())
	_ = server.UpdateCACertToClusterInterceptorCRD(ctx, service, tc.TriggersV1alpha1(), logger, time.Minute)

	mux := http.NewServeMux()
	mux.Handle("/", service)
	mux.HandleFunc("/ready", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	srv := &http.Server{
		Addr:              fmt.Sprintf("%s:%d", *address, *port),
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       5 * time.Second,
		WriteTimeout:      20 * time.Second,
		IdleTimeout:       time.Minute,
		TLSConfig: &tls.Config{
			MinVersion: tls.VersionTLS12,
			GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
				return server.GetTLSData(ctx, logger)
			},
		},
	}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	logger.Infof("core interceptors on https://%s", srv.Addr)
	if err := srv.ListenAndServeTLS("", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Fatalf("serving: %v", err)
	}
}

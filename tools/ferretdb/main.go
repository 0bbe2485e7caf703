// Command ferretdb runs an embedded FerretDB v1 (SQLite backend) as a local
// MongoDB wire-protocol server for Baton development and tests.
//
// It is built by scripts/bootstrap.sh into $BATON_HOME/bin/ferretdb.
//
// Usage:
//
//	ferretdb -listen 127.0.0.1:27017 -data-dir .baton/ferretdb -log-level warn
//
// The process exits cleanly (closing listeners and the SQLite backend) on
// SIGINT or SIGTERM. On Linux it also asks the kernel to send it SIGTERM when
// its parent process dies, so a crashed `baton dev` or jest run does not leave
// an orphaned server behind.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP `address` to listen on (host:port; port 0 picks a free port)")
	dataDir := flag.String("data-dir", ".baton/ferretdb", "`directory` for the SQLite database files (created if missing)")
	logLevel := flag.String("log-level", "warn", "log `level`: debug, info, warn or error")
	flag.Parse()

	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(flag.Args(), " "))
	}

	// Set up parent-death signal as early as possible (no-op off Linux).
	setParentDeathSignal()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("invalid -log-level %q: %w", *logLevel, err)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	if _, _, err := net.SplitHostPort(*listen); err != nil {
		return fmt.Errorf("invalid -listen %q: %w", *listen, err)
	}

	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		return fmt.Errorf("invalid -data-dir %q: %w", *dataDir, err)
	}

	if err = os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create data directory: %w", err)
	}

	// FerretDB wants a "file:" URI of a directory that ends with a slash.
	sqliteURL := "file:" + (&url.URL{Path: filepath.ToSlash(dir)}).EscapedPath() + "/"

	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{
			TCP: *listen,
		},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	done := make(chan error, 1)

	go func() {
		done <- f.Run(ctx)
	}()

	// MongoDBURI blocks until the listener is bound; print it so that callers
	// (and humans) know where to connect, including when port 0 was requested.
	uriCh := make(chan string, 1)

	go func() {
		uriCh <- f.MongoDBURI()
	}()

	select {
	case uri := <-uriCh:
		fmt.Fprintf(os.Stdout, "ferretdb: listening on %s (data: %s)\n", uri, dir)
	case err = <-done:
		if err == nil {
			err = errors.New("stopped before listening")
		}

		return err
	}

	err = <-done
	stop()

	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}

	logger.Info("ferretdb stopped")

	return nil
}

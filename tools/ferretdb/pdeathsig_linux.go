//go:build linux

package main

import (
	"os"
	"syscall"
)

// setParentDeathSignal asks the kernel to deliver SIGTERM to this process
// when the process that started it exits, then re-checks the parent in case
// it already died before the call.
func setParentDeathSignal() {
	const prSetPdeathsig = 1

	ppid := os.Getppid()

	_, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetPdeathsig, uintptr(syscall.SIGTERM), 0)
	if errno != 0 {
		return
	}

	if ppid != 1 && os.Getppid() != ppid {
		// The parent died before prctl took effect: nothing to serve.
		os.Exit(0)
	}
}

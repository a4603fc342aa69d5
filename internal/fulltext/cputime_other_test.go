//go:build !linux

package fulltext

// threadCPU is not measured outside Linux.
func threadCPU() int64 { return 0 }

// processCPU is not measured outside Linux.
func processCPU() int64 { return 0 }

package paths

import (
	"os"

	"github.com/zero711/brain"
)

// DeploymentType says how the platform is run; it picks the default data
// directory.
type DeploymentType string

// Deployment types of SPEC §7.
const (
	Managed     DeploymentType = "managed"
	SelfHosted  DeploymentType = "self_hosted"
	Development DeploymentType = "development"
)

// Well-known locations that reveal the deployment type and hold its data.
const (
	dockerMarker   = "/.dockerenv"
	selfHostedBase = "/var/lib/0711"
	managedBase    = "/data"
	developmentDir = "./data"
)

// ParseDeploymentType returns the DeploymentType named s, or an EINVALID
// error when s names none.
func ParseDeploymentType(s string) (DeploymentType, error) {
	switch d := DeploymentType(s); d {
	case Managed, SelfHosted, Development:
		return d, nil
	}
	return "", brain.Errorf(brain.EINVALID, "deployment type %q must be one of managed, self_hosted, development", s)
}

// Detect guesses the deployment type from the filesystem: a container
// (/.dockerenv) is managed, an installed /var/lib/0711 is self-hosted, and
// anything else is development. exists reports whether a path exists; tests
// pass a fake, programs pass Exists.
func Detect(exists func(path string) bool) DeploymentType {
	switch {
	case exists(dockerMarker):
		return Managed
	case exists(selfHostedBase):
		return SelfHosted
	}
	return Development
}

// Exists reports whether path exists on the real filesystem. It is the probe
// that programs pass to Detect.
func Exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// DefaultBase returns the data directory a deployment type uses when none is
// configured. The development default is relative to the working directory;
// callers make it absolute.
func DefaultBase(d DeploymentType) string {
	switch d {
	case Managed:
		return managedBase
	case SelfHosted:
		return selfHostedBase
	}
	return developmentDir
}

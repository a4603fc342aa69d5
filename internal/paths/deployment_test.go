package paths_test

import (
	"testing"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/paths"
)

func TestParseDeploymentType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    paths.DeploymentType
		wantErr bool
	}{
		{in: "managed", want: paths.Managed},
		{in: "self_hosted", want: paths.SelfHosted},
		{in: "development", want: paths.Development},
		{in: "", wantErr: true},
		{in: "Managed", wantErr: true},
		{in: "self-hosted", wantErr: true},
	}
	for _, tt := range tests {
		got, err := paths.ParseDeploymentType(tt.in)
		if tt.wantErr {
			if brain.ErrorCode(err) != brain.EINVALID {
				t.Errorf("ParseDeploymentType(%q) error = %v, want EINVALID", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDeploymentType(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestDetect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		existing []string
		want     paths.DeploymentType
	}{
		{name: "nothing", want: paths.Development},
		{name: "container", existing: []string{"/.dockerenv"}, want: paths.Managed},
		{name: "installed", existing: []string{"/var/lib/0711"}, want: paths.SelfHosted},
		{name: "container wins", existing: []string{"/var/lib/0711", "/.dockerenv"}, want: paths.Managed},
		{name: "unrelated", existing: []string{"/var/lib/other"}, want: paths.Development},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			exists := func(p string) bool {
				for _, e := range tt.existing {
					if e == p {
						return true
					}
				}
				return false
			}
			if got := paths.Detect(exists); got != tt.want {
				t.Errorf("Detect = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDefaultBase(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d    paths.DeploymentType
		want string
	}{
		{paths.Managed, "/data"},
		{paths.SelfHosted, "/var/lib/0711"},
		{paths.Development, "./data"},
	}
	for _, tt := range tests {
		if got := paths.DefaultBase(tt.d); got != tt.want {
			t.Errorf("DefaultBase(%q) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

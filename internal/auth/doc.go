// Package auth provides the credentials of the platform: argon2id password
// hashing and the password policy, HS256 access tokens (JWT), customer API
// key secrets and one-time tokens for e-mail verification and invitations.
// It knows nothing about storage or HTTP.
package auth

// Package brain holds the domain vocabulary of the 0711 platform: customers,
// users, roles and permissions, API keys, audit entries, the principal that
// every call runs as, and the one error type whose codes the HTTP layer maps
// to statuses. It depends on nothing but the standard library; the packages
// under internal/ implement the capabilities in terms of it.
package brain

package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/store"
)

const userColumns = `id, customer_id, email, name, role, status, permissions, email_verified, invited_by,
	last_login_at, login_count, failed_logins, locked_until, password_hash, created_at, updated_at, deleted_at`

func (s *DB) insertUser(ctx context.Context, q querier, u *brain.User) error {
	u.CreatedAt, u.UpdatedAt = norm(u.CreatedAt), norm(u.UpdatedAt)
	perms, err := json.Marshal(u.Permissions)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, s.q(`INSERT INTO users (`+userColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		u.ID, u.CustomerID, u.Email, u.Name, u.Role, u.Status, string(perms), u.EmailVerified, u.InvitedBy,
		normPtr(u.LastLoginAt), u.LoginCount, u.FailedLogins, normPtr(u.LockedUntil), u.PasswordHash,
		u.CreatedAt, u.UpdatedAt, normPtr(u.DeletedAt))
	return s.mapErr(err, "user "+u.Email)
}

// CreateUser implements store.Store.
func (s *DB) CreateUser(ctx context.Context, u *brain.User) error {
	if err := s.insertUser(ctx, s.db, u); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// User implements store.Store.
func (s *DB) User(ctx context.Context, customerID, userID string) (*brain.User, error) {
	return s.oneUser(ctx, s.db, `WHERE customer_id = ? AND id = ?`, customerID, userID)
}

// UserByID implements store.Store.
func (s *DB) UserByID(ctx context.Context, userID string) (*brain.User, error) {
	return s.oneUser(ctx, s.db, `WHERE id = ?`, userID)
}

// UserByEmail implements store.Store.
func (s *DB) UserByEmail(ctx context.Context, email string) (*brain.User, error) {
	return s.oneUser(ctx, s.db, `WHERE email = ? AND deleted_at IS NULL`, email)
}

func (s *DB) oneUser(ctx context.Context, q querier, where string, args ...any) (*brain.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, s.q(`SELECT `+userColumns+` FROM users `+where), args...))
	if err != nil {
		return nil, fmt.Errorf("user: %w", s.mapErr(err, "user"))
	}
	return u, nil
}

// ListUsers implements store.Store.
func (s *DB) ListUsers(ctx context.Context, customerID string, page store.Page) ([]*brain.User, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+userColumns+` FROM users
		WHERE customer_id = ? AND deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?`),
		customerID, page.After, page.Clamp())
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	out, err := collect(rows, scanUser)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// UpdateUser implements store.Store.
func (s *DB) UpdateUser(ctx context.Context, customerID string, u *brain.User) error {
	if err := s.updateUser(ctx, s.db, customerID, u); err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	return nil
}

func (s *DB) updateUser(ctx context.Context, q querier, customerID string, u *brain.User) error {
	perms, err := json.Marshal(u.Permissions)
	if err != nil {
		return err
	}
	u.UpdatedAt = norm(u.UpdatedAt)
	res, err := q.ExecContext(ctx, s.q(`UPDATE users SET name = ?, role = ?, status = ?, permissions = ?,
		email_verified = ?, password_hash = ?, locked_until = ?, deleted_at = ?, updated_at = ?
		WHERE customer_id = ? AND id = ?`),
		u.Name, u.Role, u.Status, string(perms), u.EmailVerified, u.PasswordHash, normPtr(u.LockedUntil),
		normPtr(u.DeletedAt), u.UpdatedAt, customerID, u.ID)
	if err != nil {
		return s.mapErr(err, "user")
	}
	return mustAffect(res, "user")
}

// SetUserToken implements store.Store.
func (s *DB) SetUserToken(ctx context.Context, customerID, userID string, purpose store.TokenPurpose, hash string, expires time.Time) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.oneUser(ctx, tx, `WHERE customer_id = ? AND id = ?`, customerID, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM user_tokens WHERE user_id = ? AND purpose = ?`), userID, purpose); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO user_tokens (hash, purpose, user_id, customer_id, expires_at)
			VALUES (?, ?, ?, ?, ?)`), hash, purpose, userID, customerID, norm(expires))
		return s.mapErr(err, "token")
	})
	if err != nil {
		return fmt.Errorf("set user token: %w", err)
	}
	return nil
}

// ConsumeUserToken implements store.Store.
func (s *DB) ConsumeUserToken(ctx context.Context, purpose store.TokenPurpose, hash string, now time.Time, fn func(*brain.User) error) (*brain.User, error) {
	var u *brain.User
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var userID, customerID string
		var expires time.Time
		err := tx.QueryRowContext(ctx, s.q(`DELETE FROM user_tokens WHERE hash = ? AND purpose = ?
			RETURNING user_id, customer_id, expires_at`), hash, purpose).Scan(&userID, &customerID, utcTime{&expires})
		if err != nil {
			return s.mapErr(err, "token")
		}
		if !now.Before(expires) {
			return brain.Errorf(brain.ENOTFOUND, "token expired")
		}
		if u, err = s.oneUser(ctx, tx, `WHERE customer_id = ? AND id = ?`, customerID, userID); err != nil {
			return err
		}
		if u.DeletedAt != nil {
			return brain.Errorf(brain.ENOTFOUND, "token not found")
		}
		if err := fn(u); err != nil {
			return err
		}
		return s.updateUser(ctx, tx, customerID, u)
	})
	if err != nil {
		return nil, fmt.Errorf("consume user token: %w", err)
	}
	return u, nil
}

// RecordLogin implements store.Store.
func (s *DB) RecordLogin(ctx context.Context, userID string, now time.Time) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE users SET last_login_at = ?, login_count = login_count + 1,
		failed_logins = 0, locked_until = NULL WHERE id = ?`), norm(now), userID)
	if err == nil {
		err = mustAffect(res, "user")
	}
	if err != nil {
		return fmt.Errorf("record login: %w", err)
	}
	return nil
}

// RecordLoginFailure implements store.Store.
func (s *DB) RecordLoginFailure(ctx context.Context, userID string, threshold int, lockUntil time.Time) (*brain.User, error) {
	var u *brain.User
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`UPDATE users SET failed_logins = failed_logins + 1,
			locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END WHERE id = ?`),
			threshold, norm(lockUntil), userID)
		if err != nil {
			return err
		}
		u, err = s.oneUser(ctx, tx, `WHERE id = ?`, userID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("record login failure: %w", err)
	}
	return u, nil
}

func scanUser(r scanner) (*brain.User, error) {
	var u brain.User
	var perms string
	err := r.Scan(&u.ID, &u.CustomerID, &u.Email, &u.Name, &u.Role, &u.Status, &perms, &u.EmailVerified, &u.InvitedBy,
		nullTime{&u.LastLoginAt}, &u.LoginCount, &u.FailedLogins, nullTime{&u.LockedUntil}, &u.PasswordHash,
		utcTime{&u.CreatedAt}, utcTime{&u.UpdatedAt}, nullTime{&u.DeletedAt})
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(perms), &u.Permissions); err != nil {
		return nil, fmt.Errorf("user %s: permissions: %w", u.ID, err)
	}
	return &u, nil
}

func mustAffect(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return brain.Errorf(brain.ENOTFOUND, "%s not found", what)
	}
	return nil
}

package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/store"
)

const customerColumns = `id, company_name, tier, status, primary_admin, created_at, updated_at`

// CreateCustomer implements store.Store.
func (s *DB) CreateCustomer(ctx context.Context, c *brain.Customer, admin *brain.User) error {
	c.CreatedAt, c.UpdatedAt = norm(c.CreatedAt), norm(c.UpdatedAt)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO customers (`+customerColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			c.ID, c.CompanyName, c.Tier, c.Status, c.PrimaryAdmin, c.CreatedAt, c.UpdatedAt)
		if err != nil {
			return s.mapErr(err, "customer "+c.ID)
		}
		if admin == nil {
			return nil
		}
		return s.insertUser(ctx, tx, admin)
	})
	if err != nil {
		return fmt.Errorf("create customer: %w", err)
	}
	return nil
}

// Customer implements store.Store.
func (s *DB) Customer(ctx context.Context, id string) (*brain.Customer, error) {
	row := s.db.QueryRowContext(ctx, s.q(`SELECT `+customerColumns+` FROM customers WHERE id = ?`), id)
	c, err := scanCustomer(row)
	if err != nil {
		return nil, fmt.Errorf("customer: %w", s.mapErr(err, "customer"))
	}
	return c, nil
}

// CustomerExists implements store.Store.
func (s *DB) CustomerExists(ctx context.Context, id string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM customers WHERE id = ?`), id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("customer exists: %w", err)
	}
	return n > 0, nil
}

// ListCustomers implements store.Store.
func (s *DB) ListCustomers(ctx context.Context, page store.Page) ([]*brain.Customer, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+customerColumns+` FROM customers WHERE id > ? ORDER BY id LIMIT ?`),
		page.After, page.Clamp())
	if err != nil {
		return nil, fmt.Errorf("list customers: %w", err)
	}
	out, err := collect(rows, scanCustomer)
	if err != nil {
		return nil, fmt.Errorf("list customers: %w", err)
	}
	return out, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanCustomer(r scanner) (*brain.Customer, error) {
	var c brain.Customer
	err := r.Scan(&c.ID, &c.CompanyName, &c.Tier, &c.Status, &c.PrimaryAdmin, utcTime{&c.CreatedAt}, utcTime{&c.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// collect scans every row and closes rows.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

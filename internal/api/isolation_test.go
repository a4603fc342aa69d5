package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/api"
	"github.com/zero711/brain/internal/chat"
	"github.com/zero711/brain/internal/delta"
	"github.com/zero711/brain/internal/lakehouse"
)

// TestIsolation walks every customer-scoped route of the router with the
// credentials of customer A against the ids of customer B. Routes that
// take an id must answer 404; none may return any of B's data, and B's
// state must be the same afterwards. The routes come from the router
// itself, so a route added later is covered without editing this test; a
// path parameter the test has no B-fixture for fails it.
func TestIsolation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.newTenant("alpha")
	b := h.newTenant("bravo")
	bUserID, _ := h.invite(b, "user@bravo.example", "customer_user")
	pendingID := h.pendingInvite(b, "pending@bravo.example")
	var bKey api.APIKeyCreated
	h.do("POST", "/api/api-keys", b.token, api.APIKeyRequest{Name: "Bravo key"}).json(t, &bKey)
	var aKey api.APIKeyCreated
	h.do("POST", "/api/api-keys", a.token, api.APIKeyRequest{Name: "Alpha key",
		Permissions: []brain.Permission{brain.PermUsersView, brain.PermCustomerView, brain.PermDataQuery, brain.PermDataUpload, brain.PermChatUse}}).json(t, &aKey)

	// B's lakehouse: a document with entities, and a user table.
	want(t, h.do("POST", "/api/data/documents", b.token, api.DocumentRequest{ID: "bravo-contract", Title: "Bravo Rahmenvertrag",
		Chunks: []api.DocumentChunk{{Text: "Geheimer Rahmenvertrag der Bravo GmbH über Zebrastreifen."}},
		Entities: []lakehouse.EntityMention{{ID: "org:bravo-gmbh", Name: "Bravo GmbH", Type: "organization"},
			{ID: "thing:zebrastreifen", Name: "Zebrastreifen", Type: "product"}},
		Relationships: []lakehouse.Relationship{{Source: "org:bravo-gmbh", Target: "thing:zebrastreifen"}}}), http.StatusCreated)
	if err := h.lake.CreateTable(context.Background(), "bravo", "bravo_prices", &delta.StructType{Fields: []delta.StructField{
		{Name: "item", Type: delta.TypeString, Nullable: true}}}); err != nil {
		t.Fatal(err)
	}
	// B's upload and its ingestion job.
	var up api.UploadResponse
	ur := h.upload(b.token, "/api/upload/files", map[string]string{"bravo-geheim.txt": "Geheime Zebrastreifen-Preise der Bravo GmbH."})
	want(t, ur, http.StatusOK)
	ur.json(t, &up)
	h.waitJob(b.token, up.IngestionJobID)
	// B's conversation.
	var bAnswer chat.Result
	cr := h.do("POST", "/api/chat", b.token, api.ChatRequest{Message: "Was kosten die Zebrastreifen der Bravo GmbH?"})
	want(t, cr, http.StatusOK)
	cr.json(t, &bAnswer)
	// A has a lakehouse too, so that its empty answers are real answers.
	want(t, h.do("POST", "/api/data/documents", a.token, api.DocumentRequest{ID: "alpha-doc", Title: "Alpha",
		Chunks: []api.DocumentChunk{{Text: "Alpha GmbH liefert Schrauben."}}}), http.StatusCreated)

	// B's ids by path parameter name. A new kind of id needs a line here.
	fixtures := map[string][]string{
		"user_id":         {b.adminID, bUserID, pendingID},
		"key_id":          {bKey.Key.ID},
		"document_id":     {"bravo-contract"},
		"entity_id":       {"org:bravo-gmbh"},
		"table":           {"bravo_prices"},
		"job_id":          {up.IngestionJobID},
		"conversation_id": {bAnswer.ConversationID},
		"message_id":      {bAnswer.MessageID},
	}
	// Strings that must never appear in an answer to A.
	secrets := []string{"bravo", "Bravo", "Zebrastreifen", up.IngestionJobID, bAnswer.ConversationID, bAnswer.MessageID, up.Files[0].Object, b.adminID, bUserID, pendingID, bKey.Key.ID, bKey.Key.Prefix}
	before := h.snapshot(b)

	callers := map[string]string{"admin token": a.token, "api key": aKey.Secret}
	checked := 0
	for _, rt := range h.api.Routes() {
		if rt.Scope != api.ScopeCustomer {
			continue
		}
		for _, path := range expand(t, rt, fixtures) {
			for who, cred := range callers {
				for _, query := range probeQueries {
					r := h.do(rt.Method, path+query, cred, probeBody(rt.Request))
					checked++
					if len(rt.PathParams()) > 0 && r.status != http.StatusNotFound && r.status != http.StatusForbidden {
						t.Errorf("%s %s as A (%s): status %d, want 404: %.300s", rt.Method, path, who, r.status, r.body)
					}
					if len(rt.PathParams()) > 0 && r.status == http.StatusForbidden && who == "admin token" {
						t.Errorf("%s %s as A's admin: 403 tells that B's id exists; want 404", rt.Method, path)
					}
					if r.status >= 500 {
						t.Errorf("%s %s as A (%s): %d %.300s", rt.Method, path, who, r.status, r.body)
					}
					body := withoutEchoes(r.body)
					for _, s := range secrets {
						if bytes.Contains(body, []byte(s)) {
							t.Errorf("%s %s as A (%s) returned B's data %q: %.300s", rt.Method, path+query, who, s, body)
						}
					}
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d requests checked; is the route table empty?", checked)
	}
	if after := h.snapshot(b); after != before {
		t.Fatalf("B's state changed:\nbefore %s\nafter  %s", before, after)
	}
}

// probeQueries are sent with every route: B's customer id and ids of B's
// data in the query parameters the routes read.
var probeQueries = []string{
	"?customer_id=bravo&q=Zebrastreifen+Bravo+Rahmenvertrag&sql=SELECT+*+FROM+chunks&part=nodes&limit=1000",
	"?q=Bravo+GmbH&document_id=bravo-contract&expert_domain=GENERAL&sql=SELECT+*+FROM+documents&part=cypher",
	"?from=org:bravo-gmbh&to=thing:zebrastreifen&q=Bravo&mode=bm25&type=organization&sql=SELECT+*+FROM+entities&part=relationships",
}

// expand returns the route's path once for every combination of B's ids.
func expand(t *testing.T, rt api.Route, fixtures map[string][]string) []string {
	t.Helper()
	paths := []string{rt.Path}
	for _, p := range rt.PathParams() {
		ids, ok := fixtures[p]
		if !ok {
			t.Fatalf("route %s has path parameter {%s} and the isolation test has no id of customer B for it: add one to fixtures", rt.Pattern(), p)
		}
		var next []string
		for _, path := range paths {
			for _, id := range ids {
				next = append(next, strings.Replace(path, "{"+p+"}", id, 1))
			}
		}
		paths = next
	}
	return paths
}

// probeBody returns a body of the route's request type with every string
// set, so that handlers get past decoding and reach their lookups.
func probeBody(proto any) any {
	if proto == nil {
		return nil
	}
	v := reflect.New(reflect.TypeOf(proto)).Elem()
	fill(v)
	return v.Interface()
}

func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("Probe Value")
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 0, 0))
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	}
}

// snapshot renders what B can see of its own state.
func (h *harness) snapshot(b tenant) string {
	h.t.Helper()
	var out []string
	for _, p := range []string{"/api/users/?limit=1000", "/api/api-keys", "/api/customer", "/api/data/documents",
		"/api/data/entities", "/api/lakehouse/datasets",
		"/api/upload/list", "/api/ingest/jobs", "/api/chat/conversations?all=true"} {
		r := h.do("GET", p, b.token, nil)
		want(h.t, r, http.StatusOK)
		var v any
		r.json(h.t, &v)
		norm, _ := json.Marshal(v)
		out = append(out, string(norm))
	}
	return strings.Join(out, "\n")
}

// pendingInvite invites email into the tenant and leaves it unaccepted.
func (h *harness) pendingInvite(ten tenant, email string) string {
	h.t.Helper()
	r := h.do("POST", "/api/users/invite", ten.token, api.InviteRequest{Email: email})
	want(h.t, r, http.StatusCreated)
	var u brain.User
	r.json(h.t, &u)
	return u.ID
}

// withoutEchoes blanks the targets of A's own failed attempts in an audit
// listing: those are the ids A sent, not data of B.
func withoutEchoes(body []byte) []byte {
	var l api.AuditList
	if err := json.Unmarshal(body, &l); err != nil || l.Entries == nil {
		return body
	}
	for _, e := range l.Entries {
		if e.Outcome != brain.OutcomeSuccess {
			e.Target = ""
		}
	}
	out, _ := json.Marshal(l)
	return out
}

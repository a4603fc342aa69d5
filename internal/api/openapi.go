package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"
)

// openAPIDoc builds the OpenAPI 3.1 document from the route table once.
func (s *Server) openAPIDoc() map[string]any {
	r := &jsonschema.Reflector{DoNotReference: false, ExpandedStruct: false, AllowAdditionalProperties: false,
		Namer: func(t reflect.Type) string { return t.Name() }}
	schemas := map[string]any{}
	ref := func(v any) map[string]any {
		if v == nil {
			return nil
		}
		sch := r.Reflect(v)
		for name, def := range sch.Definitions {
			schemas[name] = def
		}
		name := reflect.TypeOf(v).Name()
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	errResp := map[string]any{"description": "error", "content": map[string]any{"application/json": map[string]any{"schema": ref(ErrorBody{})}}}
	paths := map[string]map[string]any{}
	for _, rt := range s.routes {
		op := map[string]any{"summary": rt.Summary, "tags": []string{rt.Tag},
			"operationId": strings.ToLower(rt.Method) + strings.NewReplacer("/", "_", "{", "", "}", "", "-", "_", ".", "_").Replace(strings.TrimSuffix(rt.Path, "/"))}
		var params []map[string]any
		for _, p := range rt.PathParams() {
			params = append(params, map[string]any{"name": p, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		for _, q := range rt.Query {
			params = append(params, map[string]any{"name": q.Name, "in": "query", "description": q.Description, "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if rt.Request != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref(rt.Request)}}}
		}
		status := rt.Status
		if status == 0 {
			status = http.StatusOK
		}
		ok := map[string]any{"description": http.StatusText(status)}
		if rt.Response != nil {
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": ref(rt.Response)}}
		}
		op["responses"] = map[string]any{strconv.Itoa(status): ok, "default": errResp}
		if rt.Scope != ScopePublic {
			op["security"] = []map[string][]string{{"bearer": {}}}
		}
		if paths[rt.Path] == nil {
			paths[rt.Path] = map[string]any{}
		}
		paths[rt.Path][strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "0711 platform API", "version": s.opts.Version,
			"description": "The private AI brain of a business: identity, data, answers. Every customer-scoped route acts on the caller's own customer only."},
		"paths": paths,
		"components": map[string]any{
			"schemas":         componentRefs(schemas),
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "an access token from /api/auth/login, or a customer API key (sk_0711_…)"}},
		},
	}
}

// componentRefs points the references between schemas, which the reflector
// writes as #/$defs/Name, at #/components/schemas/Name, where the OpenAPI
// document keeps them.
func componentRefs(schemas map[string]any) map[string]any {
	raw, err := json.Marshal(schemas)
	if err != nil {
		return schemas
	}
	raw = bytes.ReplaceAll(raw, []byte(`"#/$defs/`), []byte(`"#/components/schemas/`))
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		return schemas
	}
	return out
}

func (s *Server) openAPI(w http.ResponseWriter, _ *http.Request) error {
	s.openapiOnce.Do(func() { s.openapiDoc = s.openAPIDoc() })
	writeJSON(w, http.StatusOK, s.openapiDoc)
	return nil
}

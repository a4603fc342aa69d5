package api

import (
	"net/http"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/chat"
	"github.com/zero711/brain/internal/lakehouse"
)

// routeTable lists every endpoint of the API (SPEC §9 paths).
func (s *Server) routeTable() []Route {
	const (
		tAuth   = "auth"
		tUsers  = "users"
		tKeys   = "api-keys"
		tCust   = "customer"
		tAdmin  = "admin"
		tSystem = "system"
		tData   = "data"
		tUpload = "upload"
		tChat   = "chat"
	)
	uploadLimit := int64(1 << 30)
	if s.opts.Ingestion != nil && s.opts.Ingestion.MaxRequestBytes > 0 {
		uploadLimit = s.opts.Ingestion.MaxRequestBytes
	}
	uploadParams := []Param{{"customer_id", "the caller's customer (optional; another customer's id answers 404)"},
		{"selected_mcps", "experts to classify the files to (ctax, law, tender, etim), comma-separated or repeated"}}
	return []Route{
		{Method: "GET", Path: "/healthz", Summary: "Liveness: the process answers", Tag: tSystem, Response: Health{}, Handler: s.healthz},
		{Method: "GET", Path: "/readyz", Summary: "Readiness: the state of each backend and which run on built-in fallbacks", Tag: tSystem, Response: Readiness{}, Handler: s.readyz},
		{Method: "GET", Path: "/metrics", Summary: "Prometheus metrics", Tag: tSystem, Handler: s.metricsHandler},
		{Method: "GET", Path: "/api/openapi.json", Summary: "This OpenAPI 3.1 document", Tag: tSystem, Handler: s.openAPI},

		{Method: "POST", Path: "/api/auth/signup", Summary: "Create a customer and its primary customer_admin", Tag: tAuth,
			Action: "auth.signup", Limited: true, Status: http.StatusCreated, Request: SignupRequest{}, Response: SignupResponse{}, Handler: s.signup},
		{Method: "POST", Path: "/api/auth/verify-email", Summary: "Confirm an e-mail address with the token from the mail", Tag: tAuth,
			Action: "auth.verify_email", Limited: true, Request: TokenRequest{}, Response: StatusResponse{}, Handler: s.verifyEmail},
		{Method: "POST", Path: "/api/auth/resend-verification", Summary: "Mail a new verification link", Tag: tAuth,
			Action: "auth.resend_verification", Limited: true, Status: http.StatusAccepted, Request: EmailRequest{}, Response: StatusResponse{}, Handler: s.resendVerification},
		{Method: "POST", Path: "/api/auth/login", Summary: "Sign in with e-mail and password; returns a bearer token", Tag: tAuth,
			Action: "auth.login", Limited: true, Request: LoginRequest{}, Response: LoginResponse{}, Handler: s.login},
		{Method: "POST", Path: "/api/users/accept-invitation", Summary: "Accept an invitation and set a password", Tag: tUsers,
			Action: "user.accept_invitation", Limited: true, Request: AcceptInvitationRequest{}, Response: brain.User{}, Handler: s.acceptInvitation},

		{Method: "GET", Path: "/api/users/", Summary: "List the users of the caller's customer", Tag: tUsers, Scope: ScopeCustomer,
			Perm: brain.PermUsersView, Response: UserList{}, Query: pageParams, Handler: s.listUsers},
		{Method: "GET", Path: "/api/users/me", Summary: "The caller: principal and user record", Tag: tUsers, Scope: ScopeCustomer,
			Response: MeResponse{}, Handler: s.getMe},
		{Method: "GET", Path: "/api/users/permissions", Summary: "The permission catalogue and role defaults", Tag: tUsers, Scope: ScopeCustomer,
			Response: PermissionCatalogue{}, Handler: s.listPermissions},
		{Method: "POST", Path: "/api/users/invite", Summary: "Invite a user by e-mail", Tag: tUsers, Scope: ScopeCustomer,
			Perm: brain.PermUsersInvite, Action: "user.invite", Status: http.StatusCreated, Request: InviteRequest{}, Response: brain.User{}, Handler: s.inviteUser},
		{Method: "POST", Path: "/api/users/change-password", Summary: "Change the caller's password", Tag: tUsers, Scope: ScopeCustomer,
			Action: "user.change_password", Request: ChangePasswordRequest{}, Response: StatusResponse{}, Handler: s.changePassword},
		{Method: "GET", Path: "/api/users/{user_id}", Summary: "Get a user", Tag: tUsers, Scope: ScopeCustomer,
			Response: brain.User{}, Handler: s.getUser},
		{Method: "PATCH", Path: "/api/users/{user_id}", Summary: "Change a user's name, role or status", Tag: tUsers, Scope: ScopeCustomer,
			Action: "user.update", Request: UserPatchRequest{}, Response: brain.User{}, Handler: s.patchUser},
		{Method: "DELETE", Path: "/api/users/{user_id}", Summary: "Delete a user (soft delete)", Tag: tUsers, Scope: ScopeCustomer,
			Perm: brain.PermUsersManage, Action: "user.delete", Status: http.StatusNoContent, Handler: s.deleteUser},
		{Method: "PATCH", Path: "/api/users/{user_id}/permissions", Summary: "Replace a user's permissions", Tag: tUsers, Scope: ScopeCustomer,
			Perm: brain.PermUsersManage, Action: "user.set_permissions", Request: PermissionsRequest{}, Response: brain.User{}, Handler: s.setPermissions},

		{Method: "GET", Path: "/api/api-keys", Summary: "List the customer's API keys", Tag: tKeys, Scope: ScopeCustomer,
			Perm: brain.PermAPIKeysManage, Response: APIKeyList{}, Handler: s.listAPIKeys},
		{Method: "POST", Path: "/api/api-keys", Summary: "Create an API key; the secret is shown once", Tag: tKeys, Scope: ScopeCustomer,
			Perm: brain.PermAPIKeysManage, Action: "apikey.create", Status: http.StatusCreated, Request: APIKeyRequest{}, Response: APIKeyCreated{}, Handler: s.createAPIKey},
		{Method: "DELETE", Path: "/api/api-keys/{key_id}", Summary: "Revoke an API key", Tag: tKeys, Scope: ScopeCustomer,
			Perm: brain.PermAPIKeysManage, Action: "apikey.revoke", Status: http.StatusNoContent, Handler: s.revokeAPIKey},

		{Method: "GET", Path: "/api/customer", Summary: "The caller's customer", Tag: tCust, Scope: ScopeCustomer,
			Perm: brain.PermCustomerView, Response: brain.Customer{}, Handler: s.getCustomer},
		{Method: "GET", Path: "/api/customer/audit", Summary: "The customer's audit log, newest first", Tag: tCust, Scope: ScopeCustomer,
			Perm: brain.PermAuditView, Response: AuditList{}, Query: auditParams, Handler: s.listAudit},

		{Method: "GET", Path: "/api/data/tables", Summary: "The customer's lakehouse tables with versions, sizes and columns", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataQuery, Response: TablesResponse{}, Handler: s.dataTables},
		{Method: "GET", Path: "/api/data/query", Summary: "Run one read-only SQL statement over the customer's tables", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataQuery, Response: QueryResponse{}, Query: []Param{{"sql", "the statement, e.g. SELECT * FROM documents"}}, Handler: s.dataQuery},
		{Method: "GET", Path: "/api/data/search", Summary: "Hybrid (BM25 + vector) search over the customer's chunks", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataQuery, Response: SearchResponse{}, Query: searchParams, Handler: s.search},
		{Method: "GET", Path: "/api/data/documents", Summary: "List the customer's documents, newest first", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataQuery, Response: lakehouse.DocumentPage{}, Query: []Param{{"expert_domain", "only this domain"}, {"offset", "skip this many"}, {"limit", "1 to 1000"}}, Handler: s.listDocuments},
		{Method: "POST", Path: "/api/data/documents", Summary: "Add a document that is already split into chunks", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataUpload, Action: "document.add", Status: http.StatusCreated, Request: DocumentRequest{}, Response: lakehouse.Document{}, Handler: s.addDocument},
		{Method: "GET", Path: "/api/data/documents/{document_id}", Summary: "A document with its chunks", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataQuery, Response: lakehouse.DocumentDetail{}, Handler: s.getDocument},
		{Method: "DELETE", Path: "/api/data/documents/{document_id}", Summary: "Delete a document; it leaves search at once", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataDelete, Action: "document.delete", Status: http.StatusNoContent, Handler: s.deleteDocument},
		{Method: "GET", Path: "/api/data/entities", Summary: "Find entities of the graph by name and type", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataQuery, Response: EntityList{}, Query: []Param{{"q", "part of the name"}, {"type", "entity type"}, {"limit", "1 to 1000"}}, Handler: s.findEntities},
		{Method: "GET", Path: "/api/data/entities/{entity_id}", Summary: "One entity", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataQuery, Response: lakehouse.Entity{}, Handler: s.getEntity},
		{Method: "GET", Path: "/api/data/entities/{entity_id}/neighbours", Summary: "Entities related to one entity", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataQuery, Response: NeighbourList{}, Handler: s.neighbours},
		{Method: "GET", Path: "/api/data/entities/{entity_id}/documents", Summary: "Documents that mention an entity", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataQuery, Response: DocumentList{}, Handler: s.entityDocuments},
		{Method: "GET", Path: "/api/data/graph/paths", Summary: "Shortest paths between two entities", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataQuery, Response: PathList{}, Query: []Param{{"from", "entity id"}, {"to", "entity id"}, {"depth", "1 to 4 (default 3)"}}, Handler: s.graphPaths},
		{Method: "GET", Path: "/api/data/graph/export", Summary: "The entity graph for Neo4j: CSV nodes, CSV relationships or Cypher", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataQuery, Query: []Param{{"part", "nodes, relationships or cypher"}}, Handler: s.graphExport},
		{Method: "GET", Path: "/api/lakehouse/health", Summary: "The lakehouse service: SQL availability, embedding model, memory", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataQuery, Response: LakehouseHealth{}, Handler: s.lakehouseHealth},
		{Method: "GET", Path: "/api/lakehouse/stats", Summary: "Counts, tables and index state of the customer's lakehouse", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataQuery, Response: lakehouse.Stats{}, Handler: s.lakehouseStats},
		{Method: "GET", Path: "/api/lakehouse/delta/query/{table}", Summary: "The first rows of a table", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataQuery, Response: PreviewResponse{}, Query: []Param{{"limit", "1 to 1000 (default 100)"}}, Handler: s.tablePreview},
		{Method: "GET", Path: "/api/lakehouse/datasets", Summary: "The customer's datasets (tables that hold data)", Tag: tData, Scope: ScopeCustomer,
			Perm: brain.PermDataQuery, Response: DatasetsResponse{}, Handler: s.datasets},

		{Method: "POST", Path: "/api/upload/files", Summary: "Upload files (multipart \"files\"); stored at once, ingested in the background", Tag: tUpload, Scope: ScopeCustomer,
			Perm: brain.PermDataUpload, Action: "upload.files", MaxBody: uploadLimit, Response: UploadResponse{}, Query: uploadParams, Handler: s.uploadFiles},
		{Method: "POST", Path: "/api/onboarding/data-sources", Summary: "Upload files during onboarding (legacy form of /api/upload/files)", Tag: tUpload, Scope: ScopeCustomer,
			Perm: brain.PermDataUpload, Action: "upload.files", MaxBody: uploadLimit, Response: UploadResponse{}, Query: uploadParams, Handler: s.uploadFiles},
		{Method: "POST", Path: "/api/upload-async/start", Summary: "Upload files and return a job id at once; they move to storage in the background", Tag: tUpload, Scope: ScopeCustomer,
			Perm: brain.PermDataUpload, Action: "upload.async", Status: http.StatusAccepted, MaxBody: uploadLimit, Response: AsyncUploadStarted{}, Query: uploadParams, Handler: s.uploadAsyncStart},
		{Method: "GET", Path: "/api/upload-async/status/{job_id}", Summary: "Progress of an asynchronous upload", Tag: tUpload, Scope: ScopeCustomer,
			Perm: brain.PermDataUpload, Response: AsyncUploadStatus{}, Handler: s.uploadAsyncStatus},
		{Method: "GET", Path: "/api/upload/list", Summary: "The customer's uploaded files", Tag: tUpload, Scope: ScopeCustomer,
			Perm: brain.PermDataUpload, Response: UploadList{}, Handler: s.uploadList},
		{Method: "DELETE", Path: "/api/upload/clear", Summary: "Delete every uploaded file (development deployments only)", Tag: tUpload, Scope: ScopeCustomer,
			Perm: brain.PermDataDelete, Action: "upload.clear", Response: ClearResponse{}, Handler: s.uploadClear},
		{Method: "POST", Path: "/api/ingest/trigger", Summary: "Ingest uploaded files again (all, or those named); unchanged files are skipped", Tag: tUpload, Scope: ScopeCustomer,
			Perm: brain.PermDataUpload, Action: "ingest.trigger", Status: http.StatusAccepted, Request: TriggerRequest{}, Response: JobResponse{}, Handler: s.ingestTrigger},
		{Method: "GET", Path: "/api/ingest/jobs", Summary: "The customer's ingestion jobs, newest first", Tag: tUpload, Scope: ScopeCustomer,
			Perm: brain.PermDataUpload, Response: JobList{}, Query: pageParams, Handler: s.ingestJobs},
		{Method: "GET", Path: "/api/ingest/status/{job_id}", Summary: "An ingestion job: status, progress and every file's outcome (handler, reason)", Tag: tUpload, Scope: ScopeCustomer,
			Perm: brain.PermDataUpload, Response: JobResponse{}, Handler: s.ingestStatus},
		{Method: "GET", Path: "/api/ingest/events/{job_id}", Summary: "An ingestion job's progress as server-sent events (progress …, done)", Tag: tUpload, Scope: ScopeCustomer,
			Perm: brain.PermDataUpload, Handler: s.ingestEvents},

		{Method: "POST", Path: "/api/chat", Summary: "Ask a question; the answer cites its sources (extractive without an LLM)", Tag: tChat, Scope: ScopeCustomer,
			Perm: brain.PermChatUse, Action: "chat.ask", Request: ChatRequest{}, Response: chat.Result{}, Handler: s.chat},
		{Method: "POST", Path: "/api/chat/stream", Summary: "Ask a question; the answer streams as server-sent events (token …, done with the sources, or error)", Tag: tChat, Scope: ScopeCustomer,
			Perm: brain.PermChatUse, Action: "chat.ask", Request: ChatRequest{}, Handler: s.chatStream},
		{Method: "GET", Path: "/api/ws/chat", Summary: "Chat over a WebSocket: ask, receive tokens, the sources, errors; cancel an answer (token also as ?access_token=)", Tag: tChat, Scope: ScopeCustomer,
			Perm: brain.PermChatUse, QueryToken: true, Handler: s.wsChat},
		{Method: "GET", Path: "/api/chat/usage", Summary: "Metered answers for billing: queries, LLM queries and tokens in a period (default: this month)", Tag: tChat, Scope: ScopeCustomer,
			Perm: brain.PermBillingView, Response: brain.ChatUsage{}, Query: []Param{{"from", "start (2006-01-02 or RFC 3339)"}, {"to", "end, exclusive"}}, Handler: s.chatUsage},
		{Method: "GET", Path: "/api/chat/conversations", Summary: "The caller's conversations, most recently active first", Tag: tChat, Scope: ScopeCustomer,
			Perm: brain.PermChatUse, Response: ConversationList{}, Query: append([]Param{{"all", "true: every user's (for those who manage users)"}}, pageParams...), Handler: s.listConversations},
		{Method: "GET", Path: "/api/chat/conversations/{conversation_id}", Summary: "A conversation with its messages, sources and modes", Tag: tChat, Scope: ScopeCustomer,
			Perm: brain.PermChatUse, Response: ConversationDetail{}, Handler: s.getConversation},
		{Method: "DELETE", Path: "/api/chat/conversations/{conversation_id}", Summary: "Delete a conversation with its messages and feedback", Tag: tChat, Scope: ScopeCustomer,
			Perm: brain.PermChatUse, Action: "chat.delete_conversation", Status: http.StatusNoContent, Handler: s.deleteConversation},
		{Method: "POST", Path: "/api/chat/{message_id}/feedback", Summary: "Thumbs up or down on an answer, optionally with the right answer", Tag: tChat, Scope: ScopeCustomer,
			Perm: brain.PermChatUse, Action: "chat.feedback", Request: FeedbackRequest{}, Response: StatusResponse{}, Handler: s.chatFeedback},

		{Method: "POST", Path: "/v1/chat/completions", Summary: "OpenAI-compatible chat completions answered by the customer's brain (stream or not); the answer carries its sources", Tag: tChat, Scope: ScopeCustomer,
			Perm: brain.PermChatUse, Action: "chat.completion", Request: CompletionRequest{}, Response: Completion{}, Handler: s.openAICompletions},
		{Method: "GET", Path: "/v1/models", Summary: "OpenAI-compatible model list: the customer's brain", Tag: tChat, Scope: ScopeCustomer,
			Perm: brain.PermChatUse, Response: ModelList{}, Handler: s.openAIModels},

		{Method: "GET", Path: "/api/admin/customers", Summary: "List every customer", Tag: tAdmin, Scope: ScopePlatform,
			Response: CustomerList{}, Query: pageParams, Handler: s.listCustomers},
		{Method: "GET", Path: "/api/admin/audit", Summary: "The whole audit log, or one customer's", Tag: tAdmin, Scope: ScopePlatform,
			Response: AuditList{}, Query: append([]Param{{"customer_id", "only this customer's entries"}}, auditParams...), Handler: s.listAllAudit},
	}
}

var pageParams = []Param{
	{"limit", "page size, 1 to 1000 (default 100)"},
	{"after", "cursor: the id of the last item of the previous page"},
}

var auditParams = []Param{
	{"limit", "page size, 1 to 1000 (default 100)"},
	{"after", "cursor: entries with a sequence number below this one"},
}

var searchParams = []Param{
	{"q", "the query"}, {"k", "results per page, 1 to 100 (default 10)"}, {"offset", "skip this many results"},
	{"mode", "hybrid (default), bm25 or vector"}, {"expert_domain", "CTAX, LAW, TENDER, ETIM or GENERAL"},
	{"document_id", "only this document"}, {"content_type", "only this content type"},
	{"from", "documents dated at or after (2006-01-02)"}, {"to", "documents dated before"},
}

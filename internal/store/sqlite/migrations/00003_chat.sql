-- +goose Up
CREATE TABLE conversations (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    messages    INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX conversations_customer ON conversations (customer_id, user_id, updated_at);

CREATE TABLE chat_messages (
    id                TEXT PRIMARY KEY,
    conversation_id   TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    customer_id       TEXT NOT NULL,
    seq               INTEGER NOT NULL,
    role              TEXT NOT NULL,
    content           TEXT NOT NULL,
    sources           TEXT NOT NULL DEFAULT '[]',
    mode              TEXT NOT NULL DEFAULT '',
    model             TEXT NOT NULL DEFAULT '',
    expert            TEXT NOT NULL DEFAULT '',
    latency_ms        INTEGER NOT NULL DEFAULT 0,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    created_at        TIMESTAMP NOT NULL,
    UNIQUE (conversation_id, seq)
);
CREATE INDEX chat_messages_customer ON chat_messages (customer_id, id);

CREATE TABLE chat_feedback (
    message_id  TEXT NOT NULL REFERENCES chat_messages(id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    rating      INTEGER NOT NULL,
    correction  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (message_id, user_id)
);
CREATE INDEX chat_feedback_customer ON chat_feedback (customer_id, created_at);

-- +goose Down
DROP TABLE chat_feedback;
DROP TABLE chat_messages;
DROP TABLE conversations;

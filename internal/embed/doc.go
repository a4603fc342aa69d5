// Package embed turns text into vectors for the lakehouse's vector index.
//
// An Embedder maps a batch of texts to one vector each. Retrieval models
// such as e5 are asymmetric: a question and the passage that answers it are
// embedded differently, so every call says which Kind of text it carries.
// Every chunk row in the lakehouse stores the vector together with
// Embedder.Model, and vectors of different models are never compared.
//
// Two implementations exist:
//
//   - Builtin, in this package, needs no model weights and no network. It
//     hashes words, word pairs and character n-grams into a fixed number of
//     signed buckets (feature hashing). It is the embedded default of a fresh
//     machine and of tests: deterministic on every platform, fast, and good
//     enough for keyword-ish and paraphrase-ish retrieval, though it knows no
//     synonyms and no other language's words.
//   - openai.Client, in package embed/openai, calls an OpenAI-compatible
//     /v1/embeddings endpoint (vLLM, TEI, Ollama, OpenAI) and is what
//     production runs with multilingual-e5-large.
//
// Package embedtest holds the conformance suite both pass.
package embed

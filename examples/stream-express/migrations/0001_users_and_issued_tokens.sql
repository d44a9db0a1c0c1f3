-- Users who may ask for tokens, and an audit trail of the tokens issued to them (never the token itself).
-- Statements are separated by "--> statement-breakpoint": PGlite runs one statement per query.
CREATE TABLE users (
  id text PRIMARY KEY,
  email text NOT NULL,
  display_name text NOT NULL,
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
--> statement-breakpoint
-- user_id is not a foreign key: the audit trail outlives a deleted user.
CREATE TABLE issued_tokens (
  id bigserial PRIMARY KEY,
  user_id text NOT NULL,
  requested_by text,
  kind text NOT NULL CHECK (kind IN ('user', 'call')),
  call_cid text,
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  CHECK (expires_at > issued_at),
  CHECK (kind = 'user' OR call_cid IS NOT NULL)
);
--> statement-breakpoint
CREATE INDEX issued_tokens_user_issued_at ON issued_tokens (user_id, issued_at DESC);

//! The audit log: one entry per API request, with the reasons behind the
//! authentication and authorization decisions.
//!
//! Upstream's audit events carry user, verb, URI, object reference, code
//! and annotations; here each entry also keeps the "why" the learner sees.
//! Tokens themselves are never recorded, only their credential id. The log
//! is bounded: the oldest entries are dropped first.

use std::collections::VecDeque;

use crate::time::Time;

/// How many entries the log keeps.
pub const AUDIT_LOG_CAPACITY: usize = 1000;

/// What became of a request at the authentication and authorization stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Authenticated and authorized (the request may still fail later).
    Allow,
    /// Authenticated but not authorized (403).
    Forbid,
    /// Not authenticated (401).
    Unauthenticated,
}

impl Decision {
    /// `allow`, `forbid` or `unauthenticated`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Forbid => "forbid",
            Self::Unauthenticated => "unauthenticated",
        }
    }
}

/// One request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// When.
    pub time: Time,
    /// The user the request ran as (after impersonation).
    pub user: String,
    /// Their groups.
    pub groups: Vec<String>,
    /// The authenticated user, when impersonating someone else.
    pub impersonated_by: Option<String>,
    /// The Kubernetes verb (or lower-case HTTP method for paths).
    pub verb: String,
    /// Method and path as sent.
    pub request_uri: String,
    /// `resource[/subresource]`, or `""` for a path.
    pub resource: String,
    /// Namespace, or `""`.
    pub namespace: String,
    /// Object name, or `""`.
    pub name: String,
    /// The HTTP status code of the answer.
    pub code: u16,
    /// The decision.
    pub decision: Decision,
    /// How the user was authenticated, or why not.
    pub authentication: String,
    /// Why the request was allowed or refused.
    pub authorization: String,
    /// The token's credential id (`JTI=…`), when a token was used or issued.
    pub credential_id: Option<String>,
    /// For a request refused at authentication: the `jti` claim of the
    /// bearer token it presented, read without trusting the token. Not in
    /// a real audit event (which has no user, and no credential id, for a
    /// 401); kept so that the lessons can tell that a learner's expired
    /// token was refused.
    pub presented_jti: Option<String>,
}

/// The bounded log.
#[derive(Debug, Clone, Default)]
pub struct AuditLog {
    events: VecDeque<AuditEvent>,
    dropped: u64,
}

impl AuditLog {
    /// Appends an entry, dropping the oldest beyond the capacity.
    pub fn push(&mut self, event: AuditEvent) {
        if self.events.len() == AUDIT_LOG_CAPACITY {
            self.events.pop_front();
            self.dropped += 1;
        }
        self.events.push_back(event);
    }

    /// The entries, oldest first.
    pub fn events(&self) -> impl DoubleEndedIterator<Item = &AuditEvent> {
        self.events.iter()
    }

    /// How many entries were dropped to stay within the capacity.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// The newest entry.
    pub fn last(&self) -> Option<&AuditEvent> {
        self.events.back()
    }
}

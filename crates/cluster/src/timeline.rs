//! The simulator's own account of what happened over time: tokens issued,
//! rotated and expired, pods terminating. It is for the learner's timeline
//! view and is kept apart from Kubernetes Events, which are only ever what
//! upstream emits.

use std::collections::VecDeque;

use crate::time::Time;

/// How many entries the timeline keeps.
pub const TIMELINE_CAPACITY: usize = 5000;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineKind {
    /// A token was issued (TokenRequest, or the kubelet for a pod).
    TokenIssued,
    /// The kubelet replaced a pod's mounted token.
    TokenRotated,
    /// The kubelet could not get a new token; the old one stays.
    TokenRefreshFailed,
    /// An issued token stopped authenticating because it expired.
    TokenExpired,
    /// Tokens stopped authenticating because what they are bound to is gone.
    TokensInvalidated,
    /// A pod began its graceful termination.
    PodTerminating,
    /// A pod was removed.
    PodTerminated,
}

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEvent {
    /// When.
    pub time: Time,
    /// What.
    pub kind: TimelineKind,
    /// Which object, e.g. `default/web` or `serviceaccount default/app`.
    pub subject: String,
    /// One sentence for the learner.
    pub detail: String,
}

/// The bounded timeline.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    events: VecDeque<TimelineEvent>,
}

impl Timeline {
    /// Appends an entry, dropping the oldest beyond the capacity.
    pub fn push(&mut self, event: TimelineEvent) {
        if self.events.len() == TIMELINE_CAPACITY {
            self.events.pop_front();
        }
        self.events.push_back(event);
    }

    /// The entries, oldest first.
    pub fn events(&self) -> impl DoubleEndedIterator<Item = &TimelineEvent> {
        self.events.iter()
    }
}

//! The cluster's clock and what happens when it moves.
//!
//! Time moves only when the caller says so. Everything scheduled — a
//! kubelet token refresh, the end of a pod's grace period, an issued
//! token's expiry — is a deadline in one queue; [`Cluster::advance_to`]
//! fires them in time order, and [`Cluster::next_deadline`] tells a driver
//! (the UI's clock, `sleep`) when the next one is, so it can jump from event
//! to event.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::time::Time;
use crate::timeline::{TimelineEvent, TimelineKind};
use crate::Cluster;

/// Something scheduled.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Deadline {
    /// The kubelet's sync that refreshes a pod volume's tokens.
    RefreshVolume {
        /// The volume's number in the kubelet's volume map.
        volume: u64,
    },
    /// The end of a pod's grace period.
    FinishPodDeletion {
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
        /// UID (a recreated pod of the same name is not affected).
        uid: String,
    },
    /// A controller syncs an object again (retry backoff, progress deadline).
    Resync {
        /// The resource's plural.
        plural: String,
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
    },
    /// An Event's TTL may be over.
    EventExpiry {
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
    },
    /// A Job's pod finishes its work.
    PodCompletes {
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
        /// UID.
        uid: String,
    },
    /// An issued token stops authenticating (exp + leeway).
    TokenExpiry {
        /// Who it was for.
        subject: String,
        /// Its jti.
        jti: String,
    },
    /// The legacy service-account token cleaner's next sync that has work.
    LegacyTokenCleaner,
}

/// The queue of deadlines, earliest first; ties fire in scheduling order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Deadlines {
    heap: BinaryHeap<Reverse<(Time, u64, Deadline)>>,
    seq: u64,
}

impl Deadlines {
    pub(crate) fn schedule(&mut self, at: Time, deadline: Deadline) {
        self.seq += 1;
        self.heap.push(Reverse((at, self.seq, deadline)));
    }
}

impl Cluster {
    /// Moves the clock forward to `t` (never back), firing every deadline
    /// up to and including `t` at its own instant.
    pub fn advance_to(&mut self, t: Time) {
        while let Some(Reverse((at, _, _))) = self.deadlines.heap.peek() {
            if *at > t {
                break;
            }
            let Some(Reverse((at, _, deadline))) = self.deadlines.heap.pop() else { break };
            if at > self.now {
                self.now = at;
            }
            self.fire(at, deadline);
            self.run_controllers();
        }
        if t > self.now {
            self.now = t;
        }
    }

    /// Moves the clock forward by `seconds`.
    pub fn advance_seconds(&mut self, seconds: i64) {
        self.advance_to(self.now.plus_millis(seconds.saturating_mul(1000)));
    }

    /// When the next scheduled thing happens, if anything is scheduled.
    /// Events expiring are housekeeping, not something to jump to: they
    /// fire on the way but are not reported here.
    pub fn next_deadline(&mut self) -> Option<Time> {
        while let Some(Reverse((at, _, deadline))) = self.deadlines.heap.peek() {
            if matches!(deadline, Deadline::EventExpiry { .. }) {
                return self
                    .deadlines
                    .heap
                    .iter()
                    .filter(|Reverse((at, _, d))| !matches!(d, Deadline::EventExpiry { .. }) && self.is_live(*at, d))
                    .map(|Reverse((at, _, _))| *at)
                    .min();
            }
            if self.is_live(*at, deadline) {
                return Some(*at);
            }
            self.deadlines.heap.pop();
        }
        None
    }

    /// Whether a queued deadline still means something.
    fn is_live(&self, at: Time, deadline: &Deadline) -> bool {
        match deadline {
            Deadline::RefreshVolume { volume } => self.volumes.get(*volume).is_some_and(|v| v.refresh_at == Some(at)),
            Deadline::FinishPodDeletion { namespace, name, uid } | Deadline::PodCompletes { namespace, name, uid } => {
                self.pod_uid(namespace, name).as_deref() == Some(uid)
            }
            Deadline::Resync { .. } | Deadline::EventExpiry { .. } => true,
            Deadline::TokenExpiry { .. } => true,
            Deadline::LegacyTokenCleaner => self.cleaner_due(at),
        }
    }

    fn fire(&mut self, at: Time, deadline: Deadline) {
        if !self.is_live(at, &deadline) {
            return;
        }
        match deadline {
            Deadline::RefreshVolume { volume } => self.kubelet_refresh_volume(volume),
            Deadline::FinishPodDeletion { namespace, name, .. } => self.finish_pod_deletion(&namespace, &name),
            Deadline::Resync { plural, namespace, name } => self.resync(&plural, &namespace, &name),
            Deadline::EventExpiry { namespace, name } => self.expire_event(&namespace, &name),
            Deadline::PodCompletes { namespace, name, .. } => self.pod_completes(&namespace, &name),
            Deadline::LegacyTokenCleaner => self.sync_legacy_token_cleaner(),
            Deadline::TokenExpiry { subject, jti } => self.timeline.push(TimelineEvent {
                time: at,
                kind: TimelineKind::TokenExpired,
                subject,
                detail: format!(
                    "token JTI={jti} is past its exp plus one minute of leeway and no longer authenticates"
                ),
            }),
        }
    }
}

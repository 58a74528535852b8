//! Instants on the simulated cluster's clock.
//!
//! The cluster has no access to a real clock: every instant is a value the
//! caller handed in or the cluster computed from one.

/// An instant, in milliseconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(i64);

impl Time {
    /// The instant `seconds` after the Unix epoch.
    pub const fn from_unix_seconds(seconds: i64) -> Self {
        Self(seconds.saturating_mul(1000))
    }

    /// The instant `millis` milliseconds after the Unix epoch.
    pub const fn from_unix_millis(millis: i64) -> Self {
        Self(millis)
    }

    /// Whole seconds since the Unix epoch (rounded down), as JWT claims use.
    pub const fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// Milliseconds since the Unix epoch.
    pub const fn unix_millis(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_round_down_before_the_epoch() {
        assert_eq!(Time::from_unix_millis(-1).unix_seconds(), -1);
        assert_eq!(Time::from_unix_millis(1999).unix_seconds(), 1);
    }
}

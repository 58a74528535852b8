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

    /// The same instant moved by `millis` (negative moves back).
    pub const fn plus_millis(self, millis: i64) -> Self {
        Self(self.0.saturating_add(millis))
    }

    /// As a Kubernetes `metav1.Time` (whole seconds, as the API stores it).
    pub fn to_k8s(self) -> k8s_openapi::apimachinery::pkg::apis::meta::v1::Time {
        let at = chrono::DateTime::from_timestamp(self.unix_seconds(), 0).unwrap_or_default();
        k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(at)
    }

    /// From a Kubernetes `metav1.Time`.
    pub fn from_k8s(time: &k8s_openapi::apimachinery::pkg::apis::meta::v1::Time) -> Self {
        Self(time.0.timestamp_millis())
    }

    /// RFC 3339 in UTC with whole seconds: `2025-01-14T09:12:47Z`.
    pub fn rfc3339(self) -> String {
        self.to_k8s().0.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_the_api_does() {
        assert_eq!(Time::from_unix_seconds(1_736_845_967).rfc3339(), "2025-01-14T09:12:47Z");
        let t = Time::from_unix_millis(1_736_845_967_900);
        assert_eq!(Time::from_k8s(&t.to_k8s()), Time::from_unix_seconds(1_736_845_967));
    }

    #[test]
    fn seconds_round_down_before_the_epoch() {
        assert_eq!(Time::from_unix_millis(-1).unix_seconds(), -1);
        assert_eq!(Time::from_unix_millis(1999).unix_seconds(), 1);
    }
}

//! Kubernetes Events: what controllers, the scheduler and the kubelet
//! report about the objects they act on.
//!
//! [`Cluster::record_event`] is client-go's event recorder with its
//! correlator's de-duplication: the same source, involved object, type,
//! reason and message bump `count` and `lastTimestamp` of the existing
//! Event instead of making a new one. Events are named
//! `<involved object>.<hex nanoseconds>` as the recorder names them, are
//! stored as core `v1` Event objects (listable at
//! `/api/v1/namespaces/NS/events`) and expire one hour after they were last
//! seen, kube-apiserver's default event TTL.

use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};
use rustc_hash::FxHashMap;

use crate::clock::Deadline;
use crate::object::Object;
use crate::store::Key;
use crate::time::Time;
use crate::Cluster;

/// How long an Event lives after it was last seen (`--event-ttl`).
pub const EVENT_TTL_SECONDS: i64 = 3600;

/// Who reports an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSourceName {
    /// `source.component`, e.g. `replicaset-controller`, `kubelet`.
    pub component: &'static str,
    /// `source.host`: the kubelet's node; controllers leave it empty.
    pub host: Option<&'static str>,
}

/// The deployment controller.
pub const DEPLOYMENT_CONTROLLER: EventSourceName = EventSourceName { component: "deployment-controller", host: None };
/// The ReplicaSet controller.
pub const REPLICASET_CONTROLLER: EventSourceName = EventSourceName { component: "replicaset-controller", host: None };
/// The DaemonSet controller.
pub const DAEMONSET_CONTROLLER: EventSourceName = EventSourceName { component: "daemonset-controller", host: None };
/// The StatefulSet controller.
pub const STATEFULSET_CONTROLLER: EventSourceName = EventSourceName { component: "statefulset-controller", host: None };
/// The Job controller.
pub const JOB_CONTROLLER: EventSourceName = EventSourceName { component: "job-controller", host: None };
/// The kubelet of node-1.
pub const KUBELET: EventSourceName = EventSourceName { component: "kubelet", host: Some(crate::kubelet::NODE_NAME) };

/// The correlator's key: what makes two events the same.
type EventKey = (String, String, String, String, String, String, String);

/// The recorder's memory: the de-duplication index.
#[derive(Debug, Clone, Default)]
pub struct EventIndex {
    by_key: FxHashMap<EventKey, String>,
    keys: FxHashMap<(String, String), EventKey>,
    seq: i64,
}

impl Cluster {
    /// Records an event about `involved` (a `fieldPath` such as
    /// `spec.containers{nginx}` for the kubelet's container events).
    pub(crate) fn record_event(
        &mut self,
        involved: &Object,
        field_path: Option<String>,
        type_: &str,
        reason: &str,
        message: String,
        source: EventSourceName,
    ) {
        let namespace = if involved.namespace().is_empty() { "default" } else { involved.namespace() }.to_string();
        let meta = involved.metadata();
        let reference = ObjectReference {
            api_version: Some(involved.resource().api_version()),
            kind: Some(involved.kind().to_string()),
            name: meta.name.clone(),
            namespace: (!involved.namespace().is_empty()).then(|| namespace.clone()),
            uid: meta.uid.clone(),
            resource_version: meta.resource_version.clone(),
            field_path: field_path.clone(),
        };
        let key: EventKey = (
            source.component.to_string(),
            namespace.clone(),
            meta.uid.clone().unwrap_or_default(),
            field_path.unwrap_or_default(),
            type_.to_string(),
            reason.to_string(),
            message.clone(),
        );
        let now = self.now.to_k8s();
        if let Some(name) = self.events.by_key.get(&key).cloned() {
            let event_key = Key::new(events_resource(), &namespace, &name);
            if let Some(Object::Event(mut event)) = self.store.get(&event_key).cloned() {
                event.count = Some(event.count.unwrap_or(1) + 1);
                event.last_timestamp = Some(now);
                event.involved_object = reference;
                self.store.put(Object::Event(event));
                self.schedule_event_expiry(&namespace, &name);
                return;
            }
        }
        let (name, metadata) = self.new_event_metadata(involved, &namespace);
        let event = Event {
            metadata,
            involved_object: reference,
            reason: Some(reason.to_string()),
            message: Some(message),
            source: Some(EventSource {
                component: Some(source.component.to_string()),
                host: source.host.map(str::to_string),
            }),
            first_timestamp: Some(now.clone()),
            last_timestamp: Some(now),
            count: Some(1),
            type_: Some(type_.to_string()),
            reporting_component: Some(source.component.to_string()),
            reporting_instance: Some(source.host.unwrap_or_default().to_string()),
            ..Event::default()
        };
        self.store.put(Object::Event(event));
        self.events.keys.insert((namespace.clone(), name.clone()), key.clone());
        self.events.by_key.insert(key, name.clone());
        self.schedule_event_expiry(&namespace, &name);
    }

    /// Records an event written through the `events.k8s.io` API (the
    /// scheduler's): `eventTime`, `action` and the reporting controller
    /// set, the legacy timestamps and source left empty.
    pub(crate) fn record_new_event(
        &mut self,
        involved: &Object,
        reason: &str,
        action: &str,
        message: String,
        controller: &str,
        instance: &str,
    ) {
        let namespace = involved.namespace().to_string();
        let meta = involved.metadata();
        let (name, metadata) = self.new_event_metadata(involved, &namespace);
        let at = chrono::DateTime::from_timestamp_millis(self.now.unix_millis()).unwrap_or_default();
        let event = Event {
            metadata,
            involved_object: ObjectReference {
                api_version: Some(involved.resource().api_version()),
                kind: Some(involved.kind().to_string()),
                name: meta.name.clone(),
                namespace: Some(namespace.clone()),
                uid: meta.uid.clone(),
                resource_version: meta.resource_version.clone(),
                field_path: None,
            },
            reason: Some(reason.to_string()),
            message: Some(message),
            source: Some(EventSource::default()),
            event_time: Some(MicroTime(at)),
            action: Some(action.to_string()),
            type_: Some("Normal".to_string()),
            reporting_component: Some(controller.to_string()),
            reporting_instance: Some(instance.to_string()),
            ..Event::default()
        };
        self.store.put(Object::Event(event));
        self.schedule_event_expiry(&namespace, &name);
    }

    /// A version-4 UUID for an event, from the seed and the event's
    /// number: events do not draw from the cluster's random stream, so
    /// recording them leaves every other random choice as it was.
    /// A new event's name (`<object>.<hex nanoseconds>`, unique through the
    /// sequence number) and metadata.
    fn new_event_metadata(&mut self, involved: &Object, namespace: &str) -> (String, ObjectMeta) {
        self.events.seq += 1;
        let nanos = self.now.unix_millis().saturating_mul(1_000_000).saturating_add(self.events.seq);
        let name = format!("{}.{nanos:x}", involved.name());
        let metadata = ObjectMeta {
            name: Some(name.clone()),
            namespace: Some(namespace.to_string()),
            uid: Some(self.event_uid()),
            creation_timestamp: Some(self.now.to_k8s()),
            ..ObjectMeta::default()
        };
        (name, metadata)
    }

    fn event_uid(&self) -> String {
        let mix = |mut z: u64| {
            z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let seq = u64::try_from(self.events.seq).unwrap_or_default();
        let hi = mix(self.config.seed ^ seq.rotate_left(17));
        let lo = mix(hi ^ seq);
        let hex = format!("{hi:016x}{lo:016x}");
        let (a, rest) = hex.split_at(8);
        let (b, rest) = rest.split_at(4);
        let (_, rest) = rest.split_at(1);
        let (c, rest) = rest.split_at(3);
        let (_, rest) = rest.split_at(1);
        let (d, e) = rest.split_at(3);
        format!("{a}-{b}-4{c}-a{d}-{e}")
    }

    fn schedule_event_expiry(&mut self, namespace: &str, name: &str) {
        let at = self.now.plus_millis(EVENT_TTL_SECONDS * 1000);
        self.deadlines.schedule(at, Deadline::EventExpiry { namespace: namespace.to_string(), name: name.to_string() });
    }

    /// The TTL: an event not seen again for an hour is deleted.
    pub(crate) fn expire_event(&mut self, namespace: &str, name: &str) {
        let key = Key::new(events_resource(), namespace, name);
        let Some(Object::Event(event)) = self.store.get(&key) else { return };
        let last = event
            .last_timestamp
            .as_ref()
            .map(Time::from_k8s)
            .or_else(|| event.event_time.as_ref().map(|t| Time::from_unix_millis(t.0.timestamp_millis())));
        if last.is_some_and(|t| t.plus_millis(EVENT_TTL_SECONDS * 1000) > self.now) {
            return;
        }
        self.store.remove(&key);
        if let Some(k) = self.events.keys.remove(&(namespace.to_string(), name.to_string())) {
            self.events.by_key.remove(&k);
        }
    }
}

fn events_resource() -> &'static crate::resource::ResourceInfo {
    crate::resource::by_plural_name("events").unwrap_or(&crate::resource::RESOURCES[0])
}

//! API objects: the kinds the cluster stores, behind one enum.
//!
//! The types are k8s-openapi's v1.32 bindings, so field names, types and
//! serialisation are upstream's. [`Object`] lets the API server, storage and
//! controllers handle any kind uniformly; code that cares about one kind
//! matches on its variant.

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{ConfigMap, Event, Namespace, Node, Pod, Secret, Service, ServiceAccount};
use k8s_openapi::api::networking::v1::Ingress;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::Value;

use crate::decode::{strict_from_value, DecodeError};
use crate::resource::{self, ResourceInfo};

macro_rules! objects {
    ($($kind:ident),* $(,)?) => {
        /// One stored API object of any kind the cluster has.
        #[derive(Debug, Clone, PartialEq)]
        #[allow(missing_docs)]
        // Pods are much larger than the other kinds; objects live in the
        // store's map either way, so boxing would only add indirection.
        #[allow(clippy::large_enum_variant)]
        pub enum Object {
            $($kind($kind)),*
        }

        impl Object {
            /// The object's metadata.
            pub fn metadata(&self) -> &ObjectMeta {
                match self {
                    $(Object::$kind(o) => &o.metadata),*
                }
            }

            /// The object's metadata, to change.
            pub fn metadata_mut(&mut self) -> &mut ObjectMeta {
                match self {
                    $(Object::$kind(o) => &mut o.metadata),*
                }
            }

            /// The kind, e.g. `ServiceAccount`.
            pub fn kind(&self) -> &'static str {
                match self {
                    $(Object::$kind(_) => stringify!($kind)),*
                }
            }

            /// The object as the API serves it (with `apiVersion` and `kind`).
            pub fn to_value(&self) -> Value {
                let value = match self {
                    $(Object::$kind(o) => serde_json::to_value(o)),*
                };
                // Serialising these types cannot fail: they hold only
                // strings, numbers, maps and lists.
                let mut value = value.unwrap_or(Value::Null);
                match self {
                    Object::Event(_) => event_go_fields(&mut value),
                    Object::Pod(_) => pod_go_fields(&mut value),
                    _ => {}
                }
                value
            }

            /// Decodes `value` as an object of `kind` with strict field
            /// validation. Unknown fields are returned (as paths such as
            /// `spec.containers[0].imagee`), not dropped silently.
            pub fn from_value_strict(kind: &str, value: Value) -> Result<(Object, Vec<String>), DecodeError> {
                match kind {
                    $(stringify!($kind) => {
                        let (object, unknown) = strict_from_value::<$kind>(value)?;
                        Ok((Object::$kind(object), unknown))
                    })*
                    other => Err(DecodeError::UnknownKind(other.to_string())),
                }
            }
        }

        $(
            impl From<$kind> for Object {
                fn from(object: $kind) -> Self {
                    Object::$kind(object)
                }
            }
        )*
    };
}

objects!(
    ConfigMap,
    Event,
    Namespace,
    Node,
    Pod,
    Secret,
    Service,
    ServiceAccount,
    DaemonSet,
    Deployment,
    ReplicaSet,
    StatefulSet,
    Job,
    Ingress,
    ClusterRole,
    ClusterRoleBinding,
    Role,
    RoleBinding,
);

/// The fields of a core/v1 Event that Go always writes, which the Rust
/// types leave out when unset: the three times (`null` when zero), the
/// reporting controller and instance (`""`), and the source (`{}`). So a
/// kubelet's event shows `eventTime: null` and a scheduler's
/// `firstTimestamp: null`, as a real API server sends them.
fn event_go_fields(value: &mut Value) {
    let Some(event) = value.as_object_mut() else { return };
    for (field, zero) in [
        ("eventTime", Value::Null),
        ("firstTimestamp", Value::Null),
        ("lastTimestamp", Value::Null),
        ("reportingComponent", Value::String(String::new())),
        ("reportingInstance", Value::String(String::new())),
        ("source", Value::Object(serde_json::Map::new())),
    ] {
        event.entry(field).or_insert(zero);
    }
}

/// A pod condition's `lastProbeTime`, a Go `metav1.Time` that
/// `omitempty` cannot leave out: `null` when no probe ran, as a real API
/// server sends it.
fn pod_go_fields(value: &mut Value) {
    let Some(conditions) = value.pointer_mut("/status/conditions").and_then(Value::as_array_mut) else { return };
    for condition in conditions.iter_mut().filter_map(Value::as_object_mut) {
        condition.entry("lastProbeTime").or_insert(Value::Null);
    }
}

impl Object {
    /// The resource this object belongs to.
    pub fn resource(&self) -> &'static ResourceInfo {
        let kind = self.kind();
        // Every variant has a row in RESOURCES (checked by a test).
        resource::RESOURCES.iter().find(|r| r.kind == kind).unwrap_or(&resource::RESOURCES[0])
    }

    /// `metadata.name`, or `""`.
    pub fn name(&self) -> &str {
        self.metadata().name.as_deref().unwrap_or_default()
    }

    /// `metadata.namespace`, or `""` (cluster-scoped objects).
    pub fn namespace(&self) -> &str {
        self.metadata().namespace.as_deref().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_resource_row() {
        for r in resource::RESOURCES.iter().filter(|r| !r.is_review()) {
            let value = serde_json::json!({"apiVersion": r.api_version(), "kind": r.kind, "metadata": {"name": "x"}});
            let (object, unknown) = match Object::from_value_strict(r.kind, value) {
                Ok(decoded) => decoded,
                Err(e) => panic!("{}: {e}", r.kind),
            };
            assert!(unknown.is_empty());
            assert_eq!(object.resource(), r);
            assert_eq!(object.to_value()["kind"], r.kind);
        }
    }
}

//! Object storage: what etcd is to kube-apiserver.
//!
//! Objects are kept in one ordered map keyed by (resource, namespace, name),
//! so a get is a lookup and a list is a range scan in name order, however
//! many objects the cluster holds. The store assigns resourceVersions from
//! one counter, as etcd's revision does.

use std::collections::BTreeMap;
use std::ops::Bound;

use crate::object::Object;
use crate::resource::{ResourceInfo, RESOURCES};

/// Where an object is stored: resource index in [`RESOURCES`], namespace
/// (`""` for cluster-scoped), name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    resource: usize,
    namespace: String,
    name: String,
}

impl Key {
    /// The key of `name` in `namespace` of `resource`.
    pub fn new(resource: &ResourceInfo, namespace: &str, name: &str) -> Self {
        let index = RESOURCES.iter().position(|r| r == resource).unwrap_or(usize::MAX);
        let namespace = if resource.namespaced { namespace.to_string() } else { String::new() };
        Self { resource: index, namespace, name: name.to_string() }
    }

    /// The key `object` is stored under.
    pub fn of(object: &Object) -> Self {
        Self::new(object.resource(), object.namespace(), object.name())
    }

    /// The object's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The object's namespace (`""` for cluster-scoped).
    pub fn namespace(&self) -> &str {
        &self.namespace
    }
}

/// All stored objects.
#[derive(Debug, Clone, Default)]
pub struct Store {
    objects: BTreeMap<Key, Object>,
    revision: u64,
}

impl Store {
    /// The object at `key`.
    pub fn get(&self, key: &Key) -> Option<&Object> {
        self.objects.get(key)
    }

    /// Whether `key` holds an object.
    pub fn contains(&self, key: &Key) -> bool {
        self.objects.contains_key(key)
    }

    /// Stores `object`, stamping it with the next resourceVersion; returns
    /// the stored copy.
    pub fn put(&mut self, mut object: Object) -> &Object {
        self.revision += 1;
        object.metadata_mut().resource_version = Some(self.revision.to_string());
        let key = Key::of(&object);
        self.objects.insert(key.clone(), object);
        // Just inserted.
        &self.objects[&key]
    }

    /// Removes and returns the object at `key`.
    pub fn remove(&mut self, key: &Key) -> Option<Object> {
        let removed = self.objects.remove(key);
        if removed.is_some() {
            self.revision += 1;
        }
        removed
    }

    /// Objects of `resource`, in `namespace` (or all namespaces when
    /// `None`), ordered by namespace then name.
    pub fn list<'a>(
        &'a self,
        resource: &ResourceInfo,
        namespace: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Object> + 'a {
        let start = Key::new(resource, namespace.unwrap_or_default(), "");
        let index = start.resource;
        self.objects
            .range((Bound::Included(start), Bound::Unbounded))
            .take_while(move |(k, _)| k.resource == index && namespace.is_none_or(|ns| k.namespace == ns))
            .map(|(_, v)| v)
    }

    /// The latest resourceVersion handed out (a list's resourceVersion).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// How many objects are stored.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }
}

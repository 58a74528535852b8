//! Object storage: what etcd is to kube-apiserver.
//!
//! Objects are kept in a hash map keyed by (resource, namespace, name), with
//! an ordered set of the same keys beside it: a get is one hash lookup and a
//! list is a range scan in name order, however many objects the cluster
//! holds. The hasher is FxHash with no random seed, so nothing here depends
//! on the operating system's randomness. The store assigns resourceVersions from
//! one counter, as etcd's revision does.

use std::collections::BTreeSet;
use std::ops::Bound;

use rustc_hash::FxHashMap;

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
        // Rows normally come from RESOURCES itself: compare addresses first.
        let index = RESOURCES
            .iter()
            .position(|r| std::ptr::eq(r, resource))
            .or_else(|| RESOURCES.iter().position(|r| r == resource))
            .unwrap_or(usize::MAX);
        let namespace = if resource.namespaced { namespace.to_string() } else { String::new() };
        Self { resource: index, namespace, name: name.to_string() }
    }

    /// The key `object` is stored under.
    pub fn of(object: &Object) -> Self {
        Self::new(object.resource(), object.namespace(), object.name())
    }

    /// The resource the key is in.
    pub fn resource(&self) -> Option<&'static ResourceInfo> {
        RESOURCES.get(self.resource)
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

/// Who a binding subject names, as the authorizer looks users up: a user
/// name, a group name, or a service account's full username.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum SubjectKey {
    /// `User` subject.
    User(String),
    /// `Group` subject.
    Group(String),
}

/// All stored objects.
#[derive(Debug, Clone, Default)]
pub struct Store {
    objects: FxHashMap<Key, Object>,
    /// The same keys, in order, for lists.
    order: BTreeSet<Key>,
    revision: u64,
    /// RoleBindings and ClusterRoleBindings by the users (service accounts
    /// by username) they name, so authorization looks at the bindings of
    /// one user, not at all bindings.
    bindings_by_user: FxHashMap<String, BTreeSet<Key>>,
    /// The same by group name.
    bindings_by_group: FxHashMap<String, BTreeSet<Key>>,
}

/// The subject keys a binding object names (service accounts as their
/// username; an SA subject without namespace in a ClusterRoleBinding names
/// nobody).
fn binding_subjects(object: &Object) -> Vec<SubjectKey> {
    let (subjects, binding_namespace) = match object {
        Object::RoleBinding(b) => (b.subjects.as_deref().unwrap_or_default(), object.namespace()),
        Object::ClusterRoleBinding(b) => (b.subjects.as_deref().unwrap_or_default(), ""),
        _ => return Vec::new(),
    };
    subjects
        .iter()
        .filter_map(|s| match s.kind.as_str() {
            "User" => Some(SubjectKey::User(s.name.clone())),
            "Group" => Some(SubjectKey::Group(s.name.clone())),
            "ServiceAccount" => {
                let ns = s.namespace.as_deref().filter(|n| !n.is_empty()).unwrap_or(binding_namespace);
                (!ns.is_empty()).then(|| SubjectKey::User(format!("system:serviceaccount:{ns}:{}", s.name)))
            }
            _ => None,
        })
        .collect()
}

impl Store {
    /// An empty store with room for `objects` objects before its table
    /// grows. Growing moves every object (an `Object` is over a kilobyte),
    /// which was a fifth of the cost of starting a cluster.
    pub fn with_capacity(objects: usize) -> Self {
        Self { objects: FxHashMap::with_capacity_and_hasher(objects, Default::default()), ..Self::default() }
    }

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
        self.unindex(&key);
        for subject in binding_subjects(&object) {
            let (map, name) = match subject {
                SubjectKey::User(n) => (&mut self.bindings_by_user, n),
                SubjectKey::Group(n) => (&mut self.bindings_by_group, n),
            };
            map.entry(name).or_default().insert(key.clone());
        }
        self.order.insert(key.clone());
        self.objects.insert(key.clone(), object);
        // Just inserted.
        &self.objects[&key]
    }

    /// Removes and returns the object at `key`.
    pub fn remove(&mut self, key: &Key) -> Option<Object> {
        self.unindex(key);
        self.order.remove(key);
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
        self.order
            .range((Bound::Included(start), Bound::Unbounded))
            .take_while(move |k| k.resource == index && namespace.is_none_or(|ns| k.namespace == ns))
            .filter_map(|k| self.objects.get(k))
    }

    fn unindex(&mut self, key: &Key) {
        let Some(old) = self.objects.get(key) else { return };
        for subject in binding_subjects(old) {
            let (map, name) = match subject {
                SubjectKey::User(n) => (&mut self.bindings_by_user, n),
                SubjectKey::Group(n) => (&mut self.bindings_by_group, n),
            };
            if let Some(keys) = map.get_mut(&name) {
                keys.remove(key);
                if keys.is_empty() {
                    map.remove(&name);
                }
            }
        }
    }

    /// The bindings whose subjects name user `username` or any of
    /// `groups`: ClusterRoleBindings first, then RoleBindings; each binding
    /// once.
    pub fn bindings_naming(&self, username: &str, groups: &[String]) -> Vec<&Object> {
        let mut found: Vec<&Object> = Vec::new();
        let keys = self
            .bindings_by_user
            .get(username)
            .into_iter()
            .chain(groups.iter().filter_map(|g| self.bindings_by_group.get(g.as_str())))
            .flatten();
        for key in keys {
            if let Some(object) = self.objects.get(key) {
                // The same binding can name the user and one of its groups.
                if !found.iter().any(|f| std::ptr::eq(*f, object)) {
                    found.push(object);
                }
            }
        }
        // Stable: keeps each kind's lookup order.
        found.sort_by_key(|o| !matches!(o, Object::ClusterRoleBinding(_)));
        found
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

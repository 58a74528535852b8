//! The HTTP-shaped surface of the simulated API server.
//!
//! A [`Request`] is what a client (kubectl, curl, a controller) sends: a
//! method, a path with query, a body and a credential. [`RequestInfo`] is
//! what the server makes of the path, as kube-apiserver's
//! `RequestInfoFactory` does: verb, API group and version, namespace,
//! resource, name and subresource.

use serde_json::Value;

/// HTTP methods the API server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET: get, list.
    Get,
    /// POST: create.
    Post,
    /// PUT: update.
    Put,
    /// PATCH: patch.
    Patch,
    /// DELETE: delete, deletecollection.
    Delete,
}

impl Method {
    /// Parses `GET`, `post`, … (as curl's `-X` takes them).
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_uppercase().as_str() {
            "GET" => Some(Self::Get),
            "POST" => Some(Self::Post),
            "PUT" => Some(Self::Put),
            "PATCH" => Some(Self::Patch),
            "DELETE" => Some(Self::Delete),
            _ => None,
        }
    }
}

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// The learner's kubectl, with the admin client certificate from its
    /// kubeconfig (user `kubernetes-admin`, group `kubeadm:cluster-admins`).
    AdminCertificate,
    /// `Authorization: Bearer <token>`.
    BearerToken(String),
    /// No credential at all.
    Anonymous,
}

/// Who a request asks to act as (`Impersonate-User`, `Impersonate-Group`,
/// `Impersonate-Uid` headers; kubectl's `--as`, `--as-group`, `--as-uid`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Impersonation {
    /// The username to act as.
    pub user: String,
    /// The groups to act with.
    pub groups: Vec<String>,
    /// The UID to act with.
    pub uid: Option<String>,
}

/// One API request.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The HTTP method.
    pub method: Method,
    /// The path, optionally with a `?query`.
    pub path: String,
    /// The body, as JSON or YAML text.
    pub body: Option<String>,
    /// The `Content-Type` header (selects the patch type for PATCH).
    pub content_type: Option<String>,
    /// The caller's credential.
    pub credential: Credential,
    /// Impersonation headers, if any.
    pub impersonate: Option<Impersonation>,
}

impl Request {
    /// A request from the admin kubectl with no body.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            body: None,
            content_type: None,
            credential: Credential::AdminCertificate,
            impersonate: None,
        }
    }

    /// `GET path` as the admin.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::Get, path)
    }

    /// `POST path` with a body, as the admin.
    pub fn post(path: impl Into<String>, body: impl Into<String>) -> Self {
        Self::new(Method::Post, path).with_body(body)
    }

    /// `PUT path` with a body, as the admin.
    pub fn put(path: impl Into<String>, body: impl Into<String>) -> Self {
        Self::new(Method::Put, path).with_body(body)
    }

    /// The body's media type: the `Content-Type` without its parameters.
    pub fn media_type(&self) -> Option<&str> {
        self.content_type.as_deref().map(|t| t.split(';').next().unwrap_or_default().trim())
    }

    /// `PATCH path` with a body of `content_type`, as the admin.
    pub fn patch(path: impl Into<String>, content_type: &str, body: impl Into<String>) -> Self {
        let mut request = Self::new(Method::Patch, path).with_body(body);
        request.content_type = Some(content_type.to_string());
        request
    }

    /// `DELETE path` as the admin.
    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::Delete, path)
    }

    /// The same request with `body`.
    pub fn with_body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// The same request acting as someone else.
    pub fn with_impersonation(mut self, impersonation: Impersonation) -> Self {
        self.impersonate = Some(impersonation);
        self
    }

    /// The same request made with `credential`.
    pub fn with_credential(mut self, credential: Credential) -> Self {
        self.credential = credential;
        self
    }
}

/// The answer to a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// HTTP status code.
    pub code: u16,
    /// The JSON body: an object, a list, a discovery document or a Status.
    pub body: Value,
    /// `Warning:` headers, e.g. unknown fields under `fieldValidation=Warn`.
    pub warnings: Vec<String>,
}

impl Response {
    /// A success with `body`.
    pub fn ok(code: u16, body: Value) -> Self {
        Self { code, body, warnings: Vec::new() }
    }

    /// Whether the code is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.code)
    }
}

/// The Kubernetes verb of a resource request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// GET one object.
    Get,
    /// GET a collection.
    List,
    /// POST.
    Create,
    /// PUT.
    Update,
    /// PATCH.
    Patch,
    /// DELETE one object.
    Delete,
    /// DELETE a collection.
    DeleteCollection,
}

impl Verb {
    /// The verb as RBAC and audit logs name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::List => "list",
            Self::Create => "create",
            Self::Update => "update",
            Self::Patch => "patch",
            Self::Delete => "delete",
            Self::DeleteCollection => "deletecollection",
        }
    }
}

/// What a request path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestInfo {
    /// A path outside the resource tree (`/version`, `/api`, `/apis/...`
    /// discovery, `/openid/...`, …).
    NonResource {
        /// The path, without query.
        path: String,
    },
    /// A request on API resources.
    Resource(ResourceRequest),
}

/// A request on API resources, parsed from its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRequest {
    /// The verb.
    pub verb: Verb,
    /// API group (`""` for core).
    pub api_group: String,
    /// API version.
    pub api_version: String,
    /// Namespace from the path, if any.
    pub namespace: Option<String>,
    /// Plural resource name.
    pub resource: String,
    /// Object name, if any.
    pub name: Option<String>,
    /// Subresource, e.g. `token` or `status`.
    pub subresource: Option<String>,
    /// Query parameters, decoded.
    pub query: Vec<(String, String)>,
}

impl ResourceRequest {
    /// The first value of query parameter `key`.
    pub fn query(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// Decodes `%XX` escapes and `+` in a query component.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let escaped = match (b, bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                std::str::from_utf8(&[h, l]).ok().and_then(|hex| u8::from_str_radix(hex, 16).ok())
            }
            _ => None,
        };
        match (b, escaped) {
            (_, Some(v)) => {
                out.push(v);
                i += 2;
            }
            (b'+', None) => out.push(b' '),
            (other, None) => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits `a=1&b=2` into decoded pairs.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

impl RequestInfo {
    /// Parses `method` and `path` the way kube-apiserver routes requests.
    pub fn parse(method: Method, path: &str) -> Self {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let (group, version, rest) = match segments.as_slice() {
            ["api", version, rest @ ..] if !rest.is_empty() => ("", *version, rest),
            ["apis", group, version, rest @ ..] if !rest.is_empty() => (*group, *version, rest),
            _ => return Self::NonResource { path: path.to_string() },
        };
        // namespaces/{ns}/{resource}... is namespaced, except namespaces/{ns}
        // alone (and its subresources), which is the Namespace object.
        let (namespace, rest) = match rest {
            ["namespaces", ns, tail @ ..] if !tail.is_empty() => (Some(ns.to_string()), tail),
            _ => (None, rest),
        };
        let (resource, name, subresource) = match rest {
            [resource] => (*resource, None, None),
            [resource, name] => (*resource, Some(name.to_string()), None),
            [resource, name, sub, ..] => (*resource, Some(name.to_string()), Some(sub.to_string())),
            [] => return Self::NonResource { path: path.to_string() },
        };
        let verb = match (method, name.is_some()) {
            (Method::Get, true) => Verb::Get,
            (Method::Get, false) => Verb::List,
            (Method::Post, _) => Verb::Create,
            (Method::Put, _) => Verb::Update,
            (Method::Patch, _) => Verb::Patch,
            (Method::Delete, true) => Verb::Delete,
            (Method::Delete, false) => Verb::DeleteCollection,
        };
        Self::Resource(ResourceRequest {
            verb,
            api_group: group.to_string(),
            api_version: version.to_string(),
            namespace,
            resource: resource.to_string(),
            name,
            subresource,
            query: parse_query(query),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(method: Method, path: &str) -> ResourceRequest {
        match RequestInfo::parse(method, path) {
            RequestInfo::Resource(r) => r,
            other => panic!("{path}: {other:?}"),
        }
    }

    #[test]
    fn paths_parse_like_request_info_factory() {
        let r = resource(Method::Get, "/api/v1/namespaces/default/serviceaccounts/build-robot");
        assert_eq!(
            (r.verb, r.namespace.as_deref(), r.resource.as_str()),
            (Verb::Get, Some("default"), "serviceaccounts")
        );
        assert_eq!(r.name.as_deref(), Some("build-robot"));

        let r = resource(Method::Get, "/api/v1/namespaces/default");
        assert_eq!(
            (r.verb, r.namespace.as_deref(), r.resource.as_str(), r.name.as_deref()),
            (Verb::Get, None, "namespaces", Some("default"))
        );

        let r = resource(Method::Get, "/api/v1/pods?labelSelector=app%3Dweb&limit=5");
        assert_eq!((r.verb, r.namespace.as_deref(), r.query("labelSelector")), (Verb::List, None, Some("app=web")));

        let r = resource(Method::Post, "/api/v1/namespaces/ns/serviceaccounts/sa/token");
        assert_eq!((r.verb, r.subresource.as_deref()), (Verb::Create, Some("token")));

        let r = resource(Method::Delete, "/apis/rbac.authorization.k8s.io/v1/clusterroles");
        assert_eq!((r.verb, r.api_group.as_str()), (Verb::DeleteCollection, "rbac.authorization.k8s.io"));
    }

    #[test]
    fn discovery_paths_are_non_resource() {
        for p in ["/api", "/api/v1", "/apis", "/apis/rbac.authorization.k8s.io/v1", "/version", "/openid/v1/jwks"] {
            assert_eq!(RequestInfo::parse(Method::Get, p), RequestInfo::NonResource { path: p.to_string() }, "{p}");
        }
    }

    #[test]
    fn query_decoding() {
        assert_eq!(
            parse_query("a=b%20c&d=e+f&g&h=%zz"),
            vec![
                ("a".into(), "b c".into()),
                ("d".into(), "e f".into()),
                ("g".into(), "".into()),
                ("h".into(), "%zz".into())
            ]
        );
    }
}

//! The API server's request pipeline.
//!
//! Every request goes through the same stages, in kube-apiserver's order:
//! authentication → authorization → decoding → admission (mutating) →
//! validation → admission (validating) → storage, after which the
//! controllers react to what changed. Each stage is a method here or a call
//! into its own module.

use serde_json::{json, Value};

use crate::api::{Impersonation, Method, Request, RequestInfo, ResourceRequest, Response, Verb};
use crate::audit::{AuditEvent, Decision};
use crate::authn::{split_service_account_username, UserInfo};
use crate::clock::Deadline;
use crate::object::Object;
use crate::rbac::{self, Attributes};
use crate::resource::{self, ResourceInfo};
use crate::selector::{FieldSelector, LabelSelector};
use crate::status::{ApiError, StatusReason};
use crate::store::Key;
use crate::time::Time;
use crate::timeline::{TimelineEvent, TimelineKind};
use crate::{admission, discovery, patch, reviews, strategy, Cluster};

/// How strictly unknown fields in a body are treated (`fieldValidation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldValidation {
    /// Reject the request.
    Strict,
    /// Accept, warn about each field.
    Warn,
    /// Accept silently.
    Ignore,
}

/// The outcome of decoding a request body.
struct Decoded {
    object: Object,
    warnings: Vec<String>,
}

impl Cluster {
    /// Serves one API request and records it in the audit log.
    // The handlers it dispatches to are `#[inline(never)]`: see "Start-up in the
    // browser" in ARCHITECTURE.md.
    pub fn handle(&mut self, request: &Request) -> Response {
        let info = RequestInfo::parse(request.method, &request.path);
        let attrs = attributes(&info, request.method);
        let mut event = AuditEvent {
            time: self.now,
            user: String::new(),
            groups: Vec::new(),
            impersonated_by: None,
            verb: attrs.verb.clone(),
            request_uri: format!("{} {}", method_name(request.method), request.path),
            resource: match (attrs.resource_request, attrs.subresource.is_empty()) {
                (false, _) => String::new(),
                (true, true) => attrs.resource.clone(),
                (true, false) => format!("{}/{}", attrs.resource, attrs.subresource),
            },
            namespace: attrs.namespace.clone(),
            name: attrs.name.clone(),
            code: 0,
            decision: Decision::Allow,
            authentication: String::new(),
            authorization: String::new(),
            credential_id: None,
            presented_jti: None,
        };
        let mut warnings = Vec::new();
        let result = self.authenticate_and_serve(request, &info, &attrs, &mut event, &mut warnings);
        let response = match result {
            Ok(mut response) => {
                warnings.append(&mut response.warnings);
                response.warnings = warnings;
                response
            }
            Err(error) => Response { code: error.code(), body: status_value(&error), warnings },
        };
        event.code = response.code;
        self.audit.push(event);
        // The controllers react to what the request changed.
        self.run_controllers();
        response
    }

    fn authenticate_and_serve(
        &mut self,
        request: &Request,
        info: &RequestInfo,
        attrs: &Attributes,
        event: &mut AuditEvent,
        warnings: &mut Vec<String>,
    ) -> Result<Response, ApiError> {
        // 1. Authentication.
        let authenticated = match self.authenticate(&request.credential) {
            Ok(a) => a,
            Err(why) => {
                event.decision = Decision::Unauthenticated;
                event.authentication = why;
                event.presented_jti = presented_jti(&request.credential);
                return Err(ApiError::new(StatusReason::Unauthorized, "Unauthorized"));
            }
        };
        event.authentication = authenticated.how.clone();
        event.credential_id = authenticated.credential_id.clone();
        warnings.extend(authenticated.warnings.iter().cloned());
        if let Some(key) = &authenticated.legacy_secret {
            self.record_legacy_token_use(key);
        }
        // 2. Impersonation, itself authorized.
        let user = match &request.impersonate {
            None => authenticated.user,
            Some(wanted) => {
                let user = self.impersonate(&authenticated.user, wanted).inspect_err(|e| {
                    event.decision = Decision::Forbid;
                    event.authorization = e.message().to_string();
                })?;
                event.impersonated_by = Some(authenticated.user.username.clone());
                user
            }
        };
        event.user = user.username.clone();
        event.groups = user.groups.clone();
        // 3. Authorization.
        let decision = rbac::explain(&self.store, &user, attrs);
        event.authorization = decision.why.join("; ");
        if !decision.allowed {
            event.decision = Decision::Forbid;
            return Err(ApiError::new(
                StatusReason::Forbidden,
                rbac::forbidden_message(&user, attrs, &decision.reason),
            )
            .with_forbidden_details(attrs));
        }
        // 4. The handler.
        match info {
            RequestInfo::NonResource { path } => discovery::serve(self, request.method, path),
            RequestInfo::Resource(info) => {
                let (response, credential_id) = self.serve_resource(&user, info, request, warnings)?;
                if credential_id.is_some() {
                    event.credential_id = credential_id;
                }
                Ok(response)
            }
        }
    }

    /// Checks and applies impersonation (`--as`, `--as-group`, `--as-uid`).
    #[inline(never)]
    fn impersonate(&self, requester: &UserInfo, wanted: &Impersonation) -> Result<UserInfo, ApiError> {
        let service_account = split_service_account_username(&wanted.user);
        let mut checks = Vec::new();
        match &service_account {
            Some((namespace, name)) => checks.push(Attributes {
                verb: "impersonate".to_string(),
                resource_request: true,
                resource: "serviceaccounts".to_string(),
                namespace: namespace.clone(),
                name: name.clone(),
                ..Attributes::default()
            }),
            None => checks.push(Attributes {
                verb: "impersonate".to_string(),
                resource_request: true,
                resource: "users".to_string(),
                name: wanted.user.clone(),
                ..Attributes::default()
            }),
        }
        for group in &wanted.groups {
            checks.push(Attributes {
                verb: "impersonate".to_string(),
                resource_request: true,
                resource: "groups".to_string(),
                name: group.clone(),
                ..Attributes::default()
            });
        }
        if let Some(uid) = &wanted.uid {
            checks.push(Attributes {
                verb: "impersonate".to_string(),
                resource_request: true,
                api_group: "authentication.k8s.io".to_string(),
                resource: "uids".to_string(),
                name: uid.clone(),
                ..Attributes::default()
            });
        }
        for attrs in &checks {
            let decision = rbac::authorize(&self.store, requester, attrs);
            if !decision.allowed {
                return Err(ApiError::new(
                    StatusReason::Forbidden,
                    rbac::forbidden_message(requester, attrs, &decision.reason),
                ));
            }
        }
        Ok(UserInfo::impersonated(&wanted.user, &wanted.groups, wanted.uid.as_deref().unwrap_or_default()))
    }

    fn serve_resource(
        &mut self,
        user: &UserInfo,
        info: &ResourceRequest,
        request: &Request,
        warnings: &mut Vec<String>,
    ) -> Result<(Response, Option<String>), ApiError> {
        let resource = resource::by_plural(&info.api_group, &info.resource)
            .filter(|r| r.version == info.api_version)
            .ok_or_else(ApiError::path_not_found)?;
        // A namespaced resource addressed by name needs a namespace in the
        // path; a cluster-scoped one must not have one.
        if (resource.namespaced && info.name.is_some() && info.namespace.is_none())
            || (!resource.namespaced && info.namespace.is_some())
        {
            return Err(ApiError::path_not_found());
        }
        if resource.is_review() {
            if info.verb != Verb::Create || info.name.is_some() || info.subresource.is_some() {
                return Err(ApiError::new(
                    StatusReason::MethodNotAllowed,
                    "the server does not allow this method on the requested resource",
                ));
            }
            return reviews::serve(self, user, resource, info, request.body.as_deref()).map(|r| (r, None));
        }
        if let Some(sub) = &info.subresource {
            return self.serve_subresource(resource, info, sub, request);
        }
        let namespace = info.namespace.as_deref();
        let name = info.name.as_deref().unwrap_or_default();
        // POST goes to a collection; PUT and PATCH to one object.
        let misdirected = match info.verb {
            Verb::Create => info.name.is_some(),
            Verb::Update | Verb::Patch => info.name.is_none(),
            _ => false,
        };
        if misdirected {
            return Err(ApiError::new(
                StatusReason::MethodNotAllowed,
                "the server does not allow this method on the requested resource",
            ));
        }
        let response = match info.verb {
            Verb::Get => self.get(resource, namespace, name),
            Verb::List => self.list(resource, namespace, info),
            Verb::Create => self.create(user, resource, namespace, info, request, warnings),
            Verb::Update => self.update(user, resource, namespace, name, info, request, warnings),
            Verb::Patch => self.patch(user, resource, namespace, name, info, request, warnings),
            Verb::Delete => self.delete(resource, namespace, name, info, request.body.as_deref()),
            Verb::DeleteCollection => self.delete_collection(resource, namespace, info),
        }?;
        Ok((response, None))
    }

    #[inline(never)]
    fn serve_subresource(
        &mut self,
        resource: &ResourceInfo,
        info: &ResourceRequest,
        sub: &str,
        request: &Request,
    ) -> Result<(Response, Option<String>), ApiError> {
        let namespace = info.namespace.as_deref().unwrap_or_default();
        let name = info.name.as_deref().unwrap_or_default();
        match (resource.kind, sub, info.verb) {
            (_, "status", Verb::Get) => Ok((self.get(resource, info.namespace.as_deref(), name)?, None)),
            ("ServiceAccount", "token", Verb::Create) => {
                let (response, credential_id) =
                    self.create_token(namespace, name, request.body.as_deref(), is_dry_run(info))?;
                Ok((response, Some(credential_id)))
            }
            ("ServiceAccount", "token", _) => Err(ApiError::method_not_supported(resource, info.verb.as_str())),
            ("Deployment" | "ReplicaSet" | "StatefulSet", "scale", Verb::Get | Verb::Update | Verb::Patch) => {
                Ok((self.serve_scale(resource, info, request)?, None))
            }
            // The stream itself is the shell's business: the server only
            // authorizes (`create` on pods/exec) and finds the pod.
            ("Pod", "exec", Verb::Create) => {
                self.get(resource, Some(namespace), name)?;
                Ok((Response::ok(200, serde_json::json!({})), None))
            }
            _ => Err(ApiError::path_not_found()),
        }
    }

    /// The `scale` subresource: an `autoscaling/v1` Scale read from and
    /// written to the object's `spec.replicas`.
    fn serve_scale(
        &mut self,
        resource: &ResourceInfo,
        info: &ResourceRequest,
        request: &Request,
    ) -> Result<Response, ApiError> {
        let namespace = info.namespace.as_deref().unwrap_or_default();
        let name = info.name.as_deref().unwrap_or_default();
        let key = Key::new(resource, namespace, name);
        let object = self.store.get(&key).cloned().ok_or_else(|| ApiError::not_found(resource, name))?;
        let scale = scale_of(&object);
        let wanted = match info.verb {
            Verb::Get => return Ok(Response::ok(200, scale)),
            Verb::Patch => {
                let patch_type = patch::PatchType::from_media_type(request.media_type())?;
                patch::apply(patch_type, resource, scale, request.body.as_deref().unwrap_or_default())?
            }
            _ => parse_body(request.body.as_deref().unwrap_or_default())?,
        };
        let replicas = match &wanted["spec"]["replicas"] {
            Value::Null => 0,
            v => v.as_i64().and_then(|n| i32::try_from(n).ok()).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal {} into Go struct field ScaleSpec.spec.replicas of type int32",
                    if v.is_string() { "string" } else { "number" }
                ))
            })?,
        };
        if replicas < 0 {
            let error =
                crate::validation::FieldError::invalid("spec.replicas", replicas, "must be greater than or equal to 0");
            return Err(ApiError::invalid_kind("Scale.autoscaling", "autoscaling", "Scale", name, &[error]));
        }
        let mut updated = object.clone();
        match &mut updated {
            Object::Deployment(d) => d.spec.get_or_insert_with(Default::default).replicas = Some(replicas),
            Object::ReplicaSet(rs) => rs.spec.get_or_insert_with(Default::default).replicas = Some(replicas),
            Object::StatefulSet(sts) => sts.spec.get_or_insert_with(Default::default).replicas = Some(replicas),
            _ => {}
        }
        if is_dry_run(info) || updated == object {
            return Ok(Response::ok(200, scale_of(&updated)));
        }
        updated.metadata_mut().generation = Some(object.metadata().generation.unwrap_or(1) + 1);
        let stored = self.store.put(updated).clone();
        self.after_write(&stored, Some(&object));
        Ok(Response::ok(200, scale_of(&stored)))
    }

    #[inline(never)]
    fn get(&self, resource: &ResourceInfo, namespace: Option<&str>, name: &str) -> Result<Response, ApiError> {
        let key = Key::new(resource, namespace.unwrap_or_default(), name);
        let object = self.store.get(&key).ok_or_else(|| ApiError::not_found(resource, name))?;
        Ok(Response::ok(200, object.to_value()))
    }

    #[inline(never)]
    fn list(
        &self,
        resource: &ResourceInfo,
        namespace: Option<&str>,
        info: &ResourceRequest,
    ) -> Result<Response, ApiError> {
        let selected = self.select(resource, namespace, info)?;
        Ok(Response::ok(200, self.list_body(resource, &selected)))
    }

    /// The objects of `resource` in `namespace` that the request's label
    /// and field selectors match.
    fn select(
        &self,
        resource: &ResourceInfo,
        namespace: Option<&str>,
        info: &ResourceRequest,
    ) -> Result<Vec<Object>, ApiError> {
        let labels =
            LabelSelector::parse(info.query("labelSelector").unwrap_or_default()).map_err(ApiError::bad_request)?;
        let fields = FieldSelector::parse(resource, info.query("fieldSelector").unwrap_or_default())
            .map_err(ApiError::bad_request)?;
        Ok(self
            .store
            .list(resource, namespace)
            .filter(|o| labels.matches(o.metadata().labels.as_ref()) && fields.matches(o))
            .cloned()
            .collect())
    }

    /// A typed list (`ServiceAccountList`, …) of `objects`.
    fn list_body(&self, resource: &ResourceInfo, objects: &[Object]) -> Value {
        let items: Vec<Value> = objects
            .iter()
            .map(|o| {
                let mut v = o.to_value();
                if let Some(map) = v.as_object_mut() {
                    // Items of a typed list carry no apiVersion/kind.
                    map.remove("apiVersion");
                    map.remove("kind");
                }
                v
            })
            .collect();
        json!({
            "kind": format!("{}List", resource.kind),
            "apiVersion": resource.api_version(),
            "metadata": {"resourceVersion": self.store.revision().to_string()},
            "items": items,
        })
    }

    /// Stores a validated object, lets controllers react, and answers with
    /// what is stored afterwards (controllers may have changed it).
    fn commit(&mut self, object: Object, old: Option<&Object>, code: u16) -> Response {
        let key = Key::of(&object);
        let stored = self.store.put(object).clone();
        self.after_write(&stored, old);
        let current = self.store.get(&key).map(Object::to_value).unwrap_or_else(|| stored.to_value());
        Response::ok(code, current)
    }

    /// Parses and strictly decodes a request body for `resource`, sent as
    /// `media` (its `Content-Type` without parameters).
    fn decode_body(
        &self,
        resource: &ResourceInfo,
        body: Option<&str>,
        media: Option<&str>,
        validation: FieldValidation,
    ) -> Result<Decoded, ApiError> {
        let text = body.unwrap_or_default();
        // The media types the API server decodes (kubectl sends JSON; a
        // body with no type is taken as JSON or YAML).
        const DECODED: [&str; 3] = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];
        if media.is_some_and(|m| !DECODED.contains(&m)) {
            return Err(ApiError::unsupported_media_type(&DECODED));
        }
        let json_content = media == Some("application/json");
        // A body sent as JSON that is not JSON: the serializer cannot even
        // find its kind, and the handler says so with the start of the body.
        if json_content && !text.is_empty() {
            if let Some(message) = crate::gojson::syntax_error(text) {
                return Err(ApiError::bad_request(format!(
                    "the object provided is unrecognized (must be of type {}): couldn't get version/kind; json parse error: {message} ({})",
                    resource.kind,
                    summarize_data(text.as_bytes())
                )));
            }
        }
        let mut value = parse_body(text)?;
        // The endpoint's kind is the default for a body that names none.
        if let Some(map) = value.as_object_mut() {
            map.entry("apiVersion").or_insert_with(|| json!(resource.api_version()));
            map.entry("kind").or_insert_with(|| json!(resource.kind));
        }
        let body_version = value["apiVersion"].as_str().unwrap_or_default().to_string();
        let body_kind = value["kind"].as_str().unwrap_or_default().to_string();
        if body_kind != resource.kind || body_version != resource.api_version() {
            return Err(ApiError::bad_request(format!(
                "the API version in the data ({body_version}) does not match the expected API version ({})",
                resource.api_version()
            ))
            .with_kind_mismatch(&body_kind, resource));
        }
        strategy::drop_server_fields(&mut value);
        let cannot_handle = |why: String| {
            ApiError::bad_request(format!(
                "{0} in version {1:?} cannot be handled as a {0}: {why}",
                resource.kind, resource.version
            ))
        };
        let (object, unknown) = Object::from_value_strict(resource.kind, value)
            .map_err(|e| cannot_handle(strategy::describe_decode_error(resource, &e)))?;
        let unknown: Vec<String> = unknown.iter().map(|f| format!("unknown field {f:?}")).collect();
        match validation {
            FieldValidation::Strict if !unknown.is_empty() => {
                Err(cannot_handle(format!("strict decoding error: {}", unknown.join(", "))))
            }
            FieldValidation::Warn => Ok(Decoded { object, warnings: unknown }),
            _ => Ok(Decoded { object, warnings: Vec::new() }),
        }
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn create(
        &mut self,
        user: &UserInfo,
        resource: &ResourceInfo,
        namespace: Option<&str>,
        info: &ResourceRequest,
        request: &Request,
        warnings: &mut Vec<String>,
    ) -> Result<Response, ApiError> {
        let Decoded { mut object, warnings: decode_warnings } =
            self.decode_body(resource, request.body.as_deref(), request.media_type(), field_validation(info)?)?;
        warnings.extend(decode_warnings);
        // The namespace in the object must match the request's.
        set_namespace(&mut object, resource, namespace)?;
        if object.name().is_empty() {
            if let Some(prefix) = object.metadata().generate_name.clone().filter(|p| !p.is_empty()) {
                let name = format!("{prefix}{}", self.rng.name_suffix(5));
                object.metadata_mut().name = Some(name);
            }
        }
        if object.metadata().resource_version.as_deref().is_some_and(|rv| !rv.is_empty()) {
            return Err(ApiError::new(
                StatusReason::InternalError,
                "Internal error occurred: resourceVersion should not be set on objects to be created",
            ));
        }
        strategy::apply_defaults(&mut object);
        // Admission: NamespaceLifecycle first, then the mutating plugins.
        if resource.namespaced {
            self.require_namespace(object.namespace())?;
        }
        admission::admit_create(self, &mut object)?;
        // The Service storage's BeginCreate: node ports, before validation.
        if let Object::Service(service) = &mut object {
            self.allocate_service_node_ports(service, is_dry_run(info))?;
        }
        strategy::prepare_for_create(&mut object);
        // The Job strategy builds its selector from the UID, which the
        // server assigns before validation.
        let early_uid = matches!(object, Object::Job(_)).then(|| self.rng.uuid());
        if let Some(uid) = &early_uid {
            crate::apps::generate_job_selector(&mut object, uid);
        }
        let errors = strategy::validate(&object);
        if !errors.is_empty() {
            return Err(ApiError::invalid(resource, object.name(), &errors));
        }
        admission::validate_create(self, &object)?;
        self.check_escalation(user, &object)?;
        let key = Key::of(&object);
        if self.store.contains(&key) {
            return Err(ApiError::already_exists(resource, object.name()));
        }
        let uid = match early_uid {
            Some(uid) => uid,
            None => self.rng.uuid(),
        };
        let meta = object.metadata_mut();
        meta.uid = Some(uid);
        meta.creation_timestamp = Some(self.now.to_k8s());
        meta.deletion_timestamp = None;
        meta.generation = strategy::tracks_generation(resource).then_some(1);
        if let Object::Service(service) = &mut object {
            self.allocate_cluster_ip(service);
        }
        if is_dry_run(info) {
            return Ok(Response::ok(201, object.to_value()));
        }
        Ok(self.commit(object, None, 201))
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn update(
        &mut self,
        user: &UserInfo,
        resource: &ResourceInfo,
        namespace: Option<&str>,
        name: &str,
        info: &ResourceRequest,
        request: &Request,
        warnings: &mut Vec<String>,
    ) -> Result<Response, ApiError> {
        let Decoded { object, warnings: decode_warnings } =
            self.decode_body(resource, request.body.as_deref(), request.media_type(), field_validation(info)?)?;
        warnings.extend(decode_warnings);
        self.replace(user, resource, namespace, name, object, info)
    }

    /// The common end of update and patch: `object` replaces what is stored.
    fn replace(
        &mut self,
        user: &UserInfo,
        resource: &ResourceInfo,
        namespace: Option<&str>,
        name: &str,
        mut object: Object,
        info: &ResourceRequest,
    ) -> Result<Response, ApiError> {
        set_namespace(&mut object, resource, namespace)?;
        if object.name() != name {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({}) does not match the name on the URL ({name})",
                object.name()
            )));
        }
        let key = Key::new(resource, namespace.unwrap_or_default(), name);
        let old = self.store.get(&key).cloned().ok_or_else(|| ApiError::not_found(resource, name))?;
        if let Some(rv) = object.metadata().resource_version.as_deref().filter(|rv| !rv.is_empty()) {
            if Some(rv) != old.metadata().resource_version.as_deref() {
                return Err(ApiError::conflict(
                    resource,
                    name,
                    "the object has been modified; please apply your changes to the latest version and try again",
                ));
            }
        }
        strategy::apply_defaults(&mut object);
        // The Service storage's BeginUpdate: node ports, before the
        // strategy drops what the new type does not use and validates.
        if let (Object::Service(service), Object::Service(old_service)) = (&mut object, &old) {
            self.update_service_node_ports(service, old_service, is_dry_run(info))?;
        }
        strategy::prepare_for_update(&mut object, &old);
        let mut errors = strategy::validate(&object);
        errors.extend(strategy::validate_update(&object, &old));
        if !errors.is_empty() {
            return Err(ApiError::invalid(resource, name, &errors));
        }
        self.check_escalation(user, &object)?;
        // Nothing changed: no new resourceVersion, no write.
        let mut unchanged = object.clone();
        unchanged.metadata_mut().resource_version = old.metadata().resource_version.clone();
        if unchanged == old || is_dry_run(info) {
            return Ok(Response::ok(200, unchanged.to_value()));
        }
        if strategy::tracks_generation(resource) && strategy::spec_changed(&object, &old) {
            object.metadata_mut().generation = Some(old.metadata().generation.unwrap_or(1) + 1);
        }
        Ok(self.commit(object, Some(&old), 200))
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn patch(
        &mut self,
        user: &UserInfo,
        resource: &ResourceInfo,
        namespace: Option<&str>,
        name: &str,
        info: &ResourceRequest,
        request: &Request,
        warnings: &mut Vec<String>,
    ) -> Result<Response, ApiError> {
        let key = Key::new(resource, namespace.unwrap_or_default(), name);
        let current = self.store.get(&key).ok_or_else(|| ApiError::not_found(resource, name))?.to_value();
        let patch_type = patch::PatchType::from_media_type(request.media_type())?;
        let patched = patch::apply(patch_type, resource, current, request.body.as_deref().unwrap_or_default())?;
        let text = patched.to_string();
        let Decoded { object, warnings: decode_warnings } =
            self.decode_body(resource, Some(&text), None, field_validation(info)?)?;
        warnings.extend(decode_warnings);
        self.replace(user, resource, namespace, name, object, info)
    }

    #[inline(never)]
    fn delete(
        &mut self,
        resource: &ResourceInfo,
        namespace: Option<&str>,
        name: &str,
        info: &ResourceRequest,
        request_body: Option<&str>,
    ) -> Result<Response, ApiError> {
        // NamespaceLifecycle admission keeps kube-apiserver's immortal
        // namespaces.
        if resource.kind == "Namespace" && IMMORTAL_NAMESPACES.contains(&name) {
            return Err(ApiError::forbidden(resource, name, "this namespace may not be deleted"));
        }
        let key = Key::new(resource, namespace.unwrap_or_default(), name);
        let object = self.store.get(&key).cloned().ok_or_else(|| ApiError::not_found(resource, name))?;
        if is_dry_run(info) {
            return Ok(Response::ok(200, deleted_status(&object)));
        }
        if let Object::Pod(pod) = &object {
            return self.delete_pod(pod.clone(), info);
        }
        if propagation_policy(info, request_body)? == Some("Orphan") {
            self.orphan_dependents(&object);
        }
        let response = match resource.kind {
            // Namespaces answer with the object, now Terminating.
            "Namespace" => {
                let mut terminating = object.clone();
                terminating.metadata_mut().deletion_timestamp = Some(self.now.to_k8s());
                if let Object::Namespace(ns) = &mut terminating {
                    ns.status.get_or_insert_with(Default::default).phase = Some("Terminating".to_string());
                }
                Response::ok(200, terminating.to_value())
            }
            _ => Response::ok(200, deleted_status(&object)),
        };
        self.remove_object(&key);
        Ok(response)
    }

    #[inline(never)]
    fn delete_collection(
        &mut self,
        resource: &ResourceInfo,
        namespace: Option<&str>,
        info: &ResourceRequest,
    ) -> Result<Response, ApiError> {
        let doomed = self.select(resource, namespace, info)?;
        if !is_dry_run(info) {
            for object in &doomed {
                self.remove_object(&Key::of(object));
            }
        }
        Ok(Response::ok(200, self.list_body(resource, &doomed)))
    }

    /// Graceful pod deletion: the pod gets a deletionTimestamp (now plus
    /// the grace period) and is removed when the grace period ends; a grace
    /// period of 0 (`--grace-period=0 --force`) removes it at once.
    fn delete_pod(
        &mut self,
        pod: k8s_openapi::api::core::v1::Pod,
        info: &ResourceRequest,
    ) -> Result<Response, ApiError> {
        let requested = match info.query("gracePeriodSeconds") {
            None | Some("") => None,
            Some(text) => Some(
                text.parse::<i64>()
                    .map_err(|_| ApiError::bad_request(format!("invalid value for gracePeriodSeconds: {text:?}")))?,
            ),
        };
        let key = Key::of(&Object::Pod(pod.clone()));
        let answer = self.begin_pod_deletion(pod, requested);
        let current = self.store.get(&key).map(Object::to_value).unwrap_or(answer);
        Ok(Response::ok(200, current))
    }

    /// Starts a pod's graceful deletion with `requested` seconds (the pod's
    /// own grace period when `None`); 0 removes it at once. Returns the pod
    /// as the delete request answers it.
    pub(crate) fn begin_pod_deletion(
        &mut self,
        mut pod: k8s_openapi::api::core::v1::Pod,
        requested: Option<i64>,
    ) -> Value {
        let default = pod.spec.as_ref().and_then(|s| s.termination_grace_period_seconds).unwrap_or(30);
        let grace = requested.unwrap_or(default).max(0);
        let namespace = pod.metadata.namespace.clone().unwrap_or_default();
        let name = pod.metadata.name.clone().unwrap_or_default();
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let ends = self.now.plus_millis(grace * 1000);
        // A second delete may only shorten the grace period.
        let already = pod.metadata.deletion_timestamp.as_ref().map(Time::from_k8s);
        if already.is_some_and(|t| t <= ends) && grace > 0 {
            return Object::Pod(pod).to_value();
        }
        pod.metadata.deletion_timestamp = Some(ends.to_k8s());
        pod.metadata.deletion_grace_period_seconds = Some(grace);
        let answer = Object::Pod(pod.clone()).to_value();
        let key = Key::of(&Object::Pod(pod.clone()));
        if grace == 0 {
            self.remove_object(&key);
            return answer;
        }
        let meta = pod.metadata.clone();
        self.store.put(Object::Pod(pod));
        // Its controller replaces it now: a terminating pod is not active.
        self.enqueue_owner(&namespace, &meta);
        self.timeline.push(TimelineEvent {
            time: self.now,
            kind: TimelineKind::PodTerminating,
            subject: format!("pod {namespace}/{name}"),
            detail: format!(
                "deleted with a {grace} s grace period; its tokens keep working until the pod is gone at {}",
                ends.rfc3339()
            ),
        });
        self.deadlines.schedule(ends, Deadline::FinishPodDeletion { namespace, name, uid });
        answer
    }

    /// The service IP allocator: a free address of 10.96.0.0/16 (not
    /// 10.96.0.1, the `kubernetes` Service's) for a ClusterIP Service
    /// that asks for none; `None` stays headless.
    fn allocate_cluster_ip(&mut self, service: &mut k8s_openapi::api::core::v1::Service) {
        let Some(spec) = &mut service.spec else { return };
        if spec.cluster_ip.as_deref().is_none_or(str::is_empty) && spec.type_.as_deref() != Some("ExternalName") {
            let ip = format!("10.96.{}.{}", self.rng.below(256), 2 + self.rng.below(253));
            spec.cluster_ip = Some(ip);
        }
        if let Some(ip) = spec.cluster_ip.clone() {
            spec.cluster_ips.get_or_insert_with(|| vec![ip]);
            spec.ip_families.get_or_insert_with(|| vec!["IPv4".to_string()]);
            spec.ip_family_policy.get_or_insert_with(|| "SingleStack".to_string());
        }
    }

    /// NamespaceLifecycle admission: new content needs an Active namespace.
    pub(crate) fn require_namespace(&self, namespace: &str) -> Result<(), ApiError> {
        let Some(ns_resource) = resource::lookup("namespaces") else {
            return Err(ApiError::path_not_found());
        };
        match self.store.get(&Key::new(ns_resource, "", namespace)) {
            None => Err(ApiError::not_found(ns_resource, namespace)),
            Some(ns) if ns.metadata().deletion_timestamp.is_some() => Err(ApiError::new(
                StatusReason::Forbidden,
                format!("unable to create new content in namespace {namespace} because it is being terminated"),
            )),
            Some(_) => Ok(()),
        }
    }
}

impl ApiError {
    fn with_kind_mismatch(self, body_kind: &str, resource: &ResourceInfo) -> Self {
        if body_kind == resource.kind {
            return self;
        }
        ApiError::bad_request(format!(
            "the kind in the data ({body_kind}) does not match the expected kind ({})",
            resource.kind
        ))
    }
}

/// The `autoscaling/v1` Scale of a Deployment, ReplicaSet or StatefulSet.
fn scale_of(object: &Object) -> Value {
    let (replicas, status_replicas, selector) = match object {
        Object::Deployment(d) => (
            d.spec.as_ref().and_then(|s| s.replicas),
            d.status.as_ref().and_then(|s| s.replicas),
            d.spec.as_ref().map(|s| s.selector.clone()),
        ),
        Object::ReplicaSet(rs) => (
            rs.spec.as_ref().and_then(|s| s.replicas),
            rs.status.as_ref().map(|s| s.replicas),
            rs.spec.as_ref().map(|s| s.selector.clone()),
        ),
        Object::StatefulSet(sts) => (
            sts.spec.as_ref().and_then(|s| s.replicas),
            sts.status.as_ref().map(|s| s.replicas),
            sts.spec.as_ref().map(|s| s.selector.clone()),
        ),
        _ => (None, None, None),
    };
    let selector: Vec<String> = selector
        .and_then(|s| s.match_labels)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let meta = object.metadata();
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            "name": meta.name, "namespace": meta.namespace, "uid": meta.uid,
            "resourceVersion": meta.resource_version, "creationTimestamp": meta.creation_timestamp,
        },
        "spec": {"replicas": replicas.unwrap_or(0)},
        "status": {"replicas": status_replicas.unwrap_or(0), "selector": selector.join(",")},
    })
}

/// A failed request's body: the Status object.
fn status_value(error: &ApiError) -> Value {
    let mut v = serde_json::to_value(&error.0).unwrap_or(Value::Null);
    if let Some(map) = v.as_object_mut() {
        map.entry("metadata").or_insert_with(|| json!({}));
    }
    v
}

/// The `Status` a successful delete answers with.
fn deleted_status(object: &Object) -> Value {
    let resource = object.resource();
    let mut details = json!({"name": object.name(), "kind": resource.plural});
    if !resource.group.is_empty() {
        details["group"] = json!(resource.group);
    }
    if let Some(uid) = &object.metadata().uid {
        details["uid"] = json!(uid);
    }
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details})
}

/// The namespaces kube-apiserver's NamespaceLifecycle admission never lets
/// go.
const IMMORTAL_NAMESPACES: [&str; 3] = ["default", "kube-system", "kube-public"];

/// The API server's `summarizeData(body, 30)`: a JSON-looking body's first
/// 30 bytes as text, any other's in hex.
fn summarize_data(data: &[u8]) -> String {
    const MAX: usize = 30;
    let (head, more) = if data.len() > MAX { (&data[..MAX], " ...") } else { (data, "") };
    let text = if data.first() == Some(&b'{') {
        String::from_utf8_lossy(head).into_owned()
    } else {
        head.iter().map(|b| format!("{b:02x}")).collect()
    };
    format!("{text}{more}")
}

/// Parses a body as JSON, or else YAML (the API server accepts both).
fn parse_body(text: &str) -> Result<Value, ApiError> {
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        return Ok(value);
    }
    match crate::decode::parse_manifests(text) {
        Ok(mut docs) if docs.len() == 1 => Ok(docs.remove(0)),
        Ok(docs) if docs.is_empty() => Err(ApiError::bad_request("the body of the request was empty")),
        Ok(_) => Err(ApiError::bad_request("the body of the request holds more than one object")),
        Err(e) => Err(ApiError::bad_request(format!("error decoding YAML: {e}"))),
    }
}

/// `EnsureObjectNamespaceMatchesRequestNamespace`.
fn set_namespace(object: &mut Object, resource: &ResourceInfo, namespace: Option<&str>) -> Result<(), ApiError> {
    let meta = object.metadata_mut();
    if !resource.namespaced {
        meta.namespace = None;
        return Ok(());
    }
    let requested = namespace.unwrap_or_default();
    match meta.namespace.as_deref() {
        None | Some("") => {
            meta.namespace = Some(requested.to_string());
            Ok(())
        }
        Some(ns) if ns == requested => Ok(()),
        Some(_) => Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        )),
    }
}

fn field_validation(info: &ResourceRequest) -> Result<FieldValidation, ApiError> {
    match info.query("fieldValidation") {
        // The server's default when a client sends nothing is Warn.
        None | Some("") | Some("Warn") => Ok(FieldValidation::Warn),
        Some("Strict") => Ok(FieldValidation::Strict),
        Some("Ignore") => Ok(FieldValidation::Ignore),
        Some(other) => Err(ApiError::bad_request(format!(
            "fieldValidation must be one of \"Ignore\", \"Warn\", or \"Strict\", got {other:?}"
        ))),
    }
}

/// `propagationPolicy` from the query or a `DeleteOptions` body.
fn propagation_policy<'a>(info: &'a ResourceRequest, body: Option<&str>) -> Result<Option<&'a str>, ApiError> {
    let from_body = body
        .filter(|b| !b.trim().is_empty())
        .and_then(|b| serde_json::from_str::<Value>(b).ok())
        .and_then(|v| v.get("propagationPolicy").and_then(Value::as_str).map(str::to_string));
    let policy = match (info.query("propagationPolicy"), from_body.as_deref()) {
        (Some(q), _) if !q.is_empty() => q,
        (_, Some("Orphan")) => "Orphan",
        (_, Some("Foreground")) => "Foreground",
        (_, Some("Background")) => "Background",
        (_, Some(other)) => return Err(invalid_policy(other)),
        _ => return Ok(None),
    };
    match policy {
        "Orphan" | "Foreground" | "Background" => Ok(Some(policy)),
        other => Err(invalid_policy(other)),
    }
}

fn invalid_policy(policy: &str) -> ApiError {
    ApiError::new(
        StatusReason::Invalid,
        format!("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: {policy:?}: supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\""),
    )
}

fn is_dry_run(info: &ResourceRequest) -> bool {
    info.query("dryRun") == Some("All")
}

/// The authorizer's view of a request.
pub(crate) fn attributes(info: &RequestInfo, method: Method) -> Attributes {
    match info {
        RequestInfo::NonResource { path } => Attributes {
            verb: method_name(method).to_ascii_lowercase(),
            resource_request: false,
            path: path.clone(),
            ..Attributes::default()
        },
        RequestInfo::Resource(r) => Attributes {
            verb: r.verb.as_str().to_string(),
            resource_request: true,
            api_group: r.api_group.clone(),
            resource: r.resource.clone(),
            subresource: r.subresource.clone().unwrap_or_default(),
            name: r.name.clone().unwrap_or_default(),
            namespace: r.namespace.clone().unwrap_or_default(),
            path: String::new(),
        },
    }
}

fn method_name(method: Method) -> &'static str {
    match method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Patch => "PATCH",
        Method::Delete => "DELETE",
    }
}

impl ApiError {
    /// Adds the details a Forbidden status carries (group, kind, name).
    fn with_forbidden_details(mut self, attrs: &Attributes) -> Self {
        if attrs.resource_request {
            let details = k8s_openapi::apimachinery::pkg::apis::meta::v1::StatusDetails {
                group: (!attrs.api_group.is_empty()).then(|| attrs.api_group.clone()),
                kind: Some(attrs.resource.clone()),
                name: (!attrs.name.is_empty()).then(|| attrs.name.clone()),
                ..Default::default()
            };
            self.0.details = Some(details);
        }
        self
    }
}

/// The `jti` claim of a presented bearer token, read without verifying it
/// (for the audit event of a request refused at authentication).
fn presented_jti(credential: &crate::api::Credential) -> Option<String> {
    let crate::api::Credential::BearerToken(token) = credential else { return None };
    let (_, claims) = crate::jwt::decode_unverified(token.trim()).ok()?;
    claims.get("jti").and_then(Value::as_str).map(str::to_string)
}

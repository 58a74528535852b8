//! The Service registry's own rules: node ports and the fields that depend
//! on a Service's `type`.
//!
//! kube-apiserver gives every port of a NodePort or LoadBalancer Service a
//! node port from `--service-node-port-range` (30000-32767 by default): a
//! requested one if it is free and in the range, otherwise a random free one
//! (`pkg/registry/core/service/portallocator`). Dynamic picks prefer the
//! upper part of the range and leave a lower band for static requests
//! (`calculateRangeOffset`: 86 ports of the default range, 30000-30085).
//! The allocation runs in the storage's `BeginCreate`/`BeginUpdate` hooks,
//! so before the strategy's validation; an update keeps the ports the old
//! object had (`patchAllocatedValues`), and a type change that no longer
//! needs them drops them (`dropTypeDependentFields`) so they are released.
//!
//! The allocator's bitmap is not kept here: the ports in use are read from
//! the stored Services, which is what the allocator's repair loop holds the
//! bitmap equal to. Deleting a Service, or its namespace, frees its ports
//! with no bookkeeping. The random picks draw from their own stream of the
//! seed (`rng::NODE_PORT_STREAM`), so that they leave the main
//! stream's UIDs and names as they were.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{Service, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;

use crate::rng::ClusterRng;
use crate::status::{ApiError, StatusReason};
use crate::validation::FieldError;
use crate::Cluster;

/// The first port of the default node port range.
pub const NODE_PORT_BASE: i32 = 30000;
/// The last port of the default node port range.
pub const NODE_PORT_MAX: i32 = 32767;

/// How many ports the range holds.
const NODE_PORT_SIZE: i32 = NODE_PORT_MAX - NODE_PORT_BASE + 1;

/// `calculateRangeOffset`: the size of the lower band that dynamic picks
/// use only once the upper part is full, `min(max(16, size/32), 128)`
/// (0 for a range of 16 ports or fewer).
pub const fn range_offset(size: i32) -> i32 {
    const MIN: i32 = 16;
    const MAX: i32 = 128;
    const STEP: i32 = 32;
    if size <= MIN {
        return 0;
    }
    let offset = size / STEP;
    if offset < MIN {
        MIN
    } else if offset > MAX {
        MAX
    } else {
        offset
    }
}

/// Why the allocator refused a port (`portallocator`'s errors, in its words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PortAllocationError {
    /// The requested port is outside 30000-32767 (`ErrNotInRange`).
    #[error("provided port is not in the valid range. The range of valid ports is 30000-32767")]
    NotInRange,
    /// Another Service, or another port of this one, holds it (`ErrAllocated`).
    #[error("provided port is already allocated")]
    Allocated,
    /// Every port of the range is taken (`ErrFull`).
    #[error("range is full")]
    Full,
}

/// One request's node port allocation (`PortAllocationOperation`): the
/// ports already held, the ones this request took, and the stream the
/// random picks draw from. A dry run checks requested ports only against
/// what is held and hands out dummy ports, as upstream's dry-run operation
/// does (the first is 32769), drawing nothing.
pub struct PortAllocationOperation<'a> {
    held: BTreeSet<i32>,
    allocated: Vec<i32>,
    dry_run: bool,
    rng: &'a mut ClusterRng,
}

impl<'a> PortAllocationOperation<'a> {
    /// An operation over the ports `held` by the stored Services.
    pub fn new(held: BTreeSet<i32>, rng: &'a mut ClusterRng, dry_run: bool) -> Self {
        Self { held, allocated: Vec::new(), dry_run, rng }
    }

    /// The ports this operation has taken, in order.
    pub fn allocated(&self) -> &[i32] {
        &self.allocated
    }

    fn in_range(port: i32) -> bool {
        (NODE_PORT_BASE..=NODE_PORT_MAX).contains(&port)
    }

    fn is_free(&self, port: i32) -> bool {
        !self.held.contains(&port) && !self.allocated.contains(&port)
    }

    /// Takes `port` (`Allocate`).
    pub fn allocate(&mut self, port: i32) -> Result<(), PortAllocationError> {
        // The dry-run operation asks the allocator only whether it holds
        // the port, which is false for a port outside the range.
        if !self.dry_run && !Self::in_range(port) {
            return Err(PortAllocationError::NotInRange);
        }
        if !self.is_free(port) {
            return Err(PortAllocationError::Allocated);
        }
        self.allocated.push(port);
        Ok(())
    }

    /// Takes a free port of the allocator's choosing (`AllocateNext`).
    pub fn allocate_next(&mut self) -> Result<i32, PortAllocationError> {
        if self.dry_run {
            let last = self.allocated.iter().copied().max().unwrap_or(NODE_PORT_MAX + 1);
            let port = last.saturating_add(1);
            self.allocated.push(port);
            return Ok(port);
        }
        let taken = self.held.iter().filter(|p| Self::in_range(**p)).count() + self.allocated.len();
        if taken >= NODE_PORT_SIZE as usize {
            return Err(PortAllocationError::Full);
        }
        // randomScanStrategyWithOffset: a random start in the upper part,
        // scanning forward (wrapping within it), then the same in the
        // lower band.
        let offset = range_offset(NODE_PORT_SIZE);
        for (band_start, band_size) in [(offset, NODE_PORT_SIZE - offset), (0, offset)] {
            if band_size <= 0 {
                continue;
            }
            let start = i32::try_from(self.rng.below(band_size as u64)).unwrap_or(0);
            for i in 0..band_size {
                let port = NODE_PORT_BASE + band_start + (start + i) % band_size;
                if self.is_free(port) {
                    self.allocated.push(port);
                    return Ok(port);
                }
            }
        }
        Err(PortAllocationError::Full)
    }
}

fn type_of(spec: &ServiceSpec) -> &str {
    spec.type_.as_deref().unwrap_or_default()
}

/// `needsNodePort`: NodePort and LoadBalancer Services have node ports.
pub fn needs_node_port(spec: &ServiceSpec) -> bool {
    matches!(type_of(spec), "NodePort" | "LoadBalancer")
}

/// `shouldAllocateNodePorts`: whether ports that ask for none get one
/// (a LoadBalancer may say no with `allocateLoadBalancerNodePorts: false`).
pub fn should_allocate_node_ports(spec: &ServiceSpec) -> bool {
    match type_of(spec) {
        "NodePort" => true,
        "LoadBalancer" => spec.allocate_load_balancer_node_ports.unwrap_or(true),
        _ => false,
    }
}

/// `NeedsHealthCheck`: a LoadBalancer with `externalTrafficPolicy: Local`
/// gets a `healthCheckNodePort`.
pub fn needs_health_check(spec: &ServiceSpec) -> bool {
    type_of(spec) == "LoadBalancer" && spec.external_traffic_policy.as_deref() == Some("Local")
}

/// `ExternallyAccessible`: NodePort, LoadBalancer, or ClusterIP with
/// external IPs.
pub fn externally_accessible(spec: &ServiceSpec) -> bool {
    match type_of(spec) {
        "NodePort" | "LoadBalancer" => true,
        "ClusterIP" => spec.external_ips.as_ref().is_some_and(|ips| !ips.is_empty()),
        _ => false,
    }
}

/// The node ports of `spec`'s ports (not the health check's), non-zero.
fn node_ports(spec: &ServiceSpec) -> Vec<i32> {
    spec.ports.iter().flatten().filter_map(|p| p.node_port).filter(|n| *n != 0).collect()
}

/// The v1 defaults that depend on `type` (`SetDefaults_Service`): an
/// externally accessible Service's `externalTrafficPolicy` is `Cluster`; a
/// LoadBalancer allocates node ports unless told not to. A zero node port
/// is no node port (the fields are `omitempty`).
pub(crate) fn apply_type_defaults(spec: &mut ServiceSpec) {
    for port in spec.ports.iter_mut().flatten() {
        if port.node_port == Some(0) {
            port.node_port = None;
        }
    }
    if spec.health_check_node_port == Some(0) {
        spec.health_check_node_port = None;
    }
    if externally_accessible(spec) && spec.external_traffic_policy.as_deref().unwrap_or_default().is_empty() {
        spec.external_traffic_policy = Some("Cluster".to_string());
    }
    if type_of(spec) == "LoadBalancer" {
        spec.allocate_load_balancer_node_ports.get_or_insert(true);
    }
}

/// `dropTypeDependentFields`: on an update that changes `type`, the fields
/// the new type does not use are cleared, when the client left them as
/// they were (a changed value is for validation to refuse). Cleared node
/// ports are free once the update is stored.
pub(crate) fn drop_type_dependent_fields(new: &mut Service, old: &Service) {
    let (Some(spec), Some(old_spec)) = (new.spec.as_mut(), old.spec.as_ref()) else { return };
    if needs_node_port(old_spec) && !needs_node_port(spec) && same_node_ports(old_spec, spec) {
        for port in spec.ports.iter_mut().flatten() {
            port.node_port = None;
        }
    }
    if needs_health_check(old_spec)
        && !needs_health_check(spec)
        && old_spec.health_check_node_port == spec.health_check_node_port
    {
        spec.health_check_node_port = None;
    }
    if type_of(old_spec) == "LoadBalancer"
        && type_of(spec) != "LoadBalancer"
        && spec.allocate_load_balancer_node_ports.is_some()
        && old_spec.allocate_load_balancer_node_ports == spec.allocate_load_balancer_node_ports
    {
        spec.allocate_load_balancer_node_ports = None;
    }
    if type_of(old_spec) == "LoadBalancer"
        && type_of(spec) != "LoadBalancer"
        && old_spec.load_balancer_class == spec.load_balancer_class
    {
        spec.load_balancer_class = None;
    }
    if externally_accessible(old_spec)
        && !externally_accessible(spec)
        && old_spec.external_traffic_policy == spec.external_traffic_policy
    {
        spec.external_traffic_policy = None;
    }
    if type_of(spec) != "LoadBalancer" {
        if let Some(status) = new.status.as_mut() {
            status.load_balancer = Some(Default::default());
        }
    }
}

/// `sameNodePorts`: the update adds no node port the old object lacked.
fn same_node_ports(old: &ServiceSpec, new: &ServiceSpec) -> bool {
    let old_ports = node_ports(old);
    node_ports(new).iter().all(|p| old_ports.contains(p))
}

/// `patchAllocatedValues` for node ports: a port of the new object that
/// names no node port keeps the one the old object's port of the same name
/// had (unless another port now uses it); likewise the health check's.
fn patch_allocated_values(spec: &mut ServiceSpec, old: &ServiceSpec) {
    if needs_node_port(old) && needs_node_port(spec) {
        let new_ports = node_ports(spec);
        let used: BTreeSet<i32> = node_ports(old).into_iter().filter(|p| new_ports.contains(p)).collect();
        let by_name: BTreeMap<&str, i32> = old
            .ports
            .iter()
            .flatten()
            .map(|p| (p.name.as_deref().unwrap_or_default(), p.node_port.unwrap_or(0)))
            .collect();
        for port in spec.ports.iter_mut().flatten() {
            if port.node_port.unwrap_or(0) != 0 {
                continue;
            }
            let kept = by_name.get(port.name.as_deref().unwrap_or_default()).copied().unwrap_or(0);
            if kept != 0 && !used.contains(&kept) {
                port.node_port = Some(kept);
            }
        }
    }
    if needs_health_check(old) && needs_health_check(spec) && spec.health_check_node_port.unwrap_or(0) == 0 {
        spec.health_check_node_port = old.health_check_node_port;
    }
}

/// The Invalid status of a requested node port the allocator refused.
fn refused(name: &str, index: usize, port: i32, why: PortAllocationError) -> ApiError {
    let error = FieldError::invalid(format!("spec.ports[{index}].nodePort"), port, why.to_string());
    ApiError::invalid_kind("Service", "", "Service", name, &[error])
}

/// `errors.NewInternalError`.
fn internal_error(message: String) -> ApiError {
    ApiError::new(StatusReason::InternalError, format!("Internal error occurred: {message}"))
}

/// A plain error returned by a storage hook: the API server answers 500
/// with no reason (`StatusReasonUnknown`).
fn unknown_error(message: String) -> ApiError {
    ApiError(Box::new(Status {
        status: Some("Failure".to_string()),
        message: Some(message),
        code: Some(500),
        ..Status::default()
    }))
}

/// `initNodePorts`: on create, each port gets its requested node port or
/// a new one; ports with the same port number (TCP and UDP) share one.
fn init_node_ports(spec: &mut ServiceSpec, op: &mut PortAllocationOperation<'_>, name: &str) -> Result<(), ApiError> {
    let allocate_new = should_allocate_node_ports(spec);
    let requested: Vec<(i32, i32)> = spec.ports.iter().flatten().map(|p| (p.port, p.node_port.unwrap_or(0))).collect();
    // findRequestedNodePort: the first node port asked for this port number.
    let requested_for = |port: i32| requested.iter().find(|(p, n)| *p == port && *n != 0).map(|(_, n)| *n).unwrap_or(0);
    let mut by_port: BTreeMap<i32, i32> = BTreeMap::new();
    for (i, port) in spec.ports.iter_mut().flatten().enumerate() {
        let node_port = port.node_port.unwrap_or(0);
        if node_port == 0 && !allocate_new {
            continue;
        }
        match by_port.get(&port.port).copied() {
            None => {
                let wanted = requested_for(port.port);
                let given = if wanted != 0 {
                    op.allocate(wanted).map_err(|why| refused(name, i, wanted, why))?;
                    wanted
                } else {
                    op.allocate_next().map_err(|why| internal_error(format!("failed to allocate a nodePort: {why}")))?
                };
                port.node_port = Some(given);
                by_port.insert(port.port, given);
            }
            Some(shared) if node_port == 0 => port.node_port = Some(shared),
            Some(shared) if node_port != shared => {
                op.allocate(node_port).map_err(|why| refused(name, i, node_port, why))?;
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// `updateNodePorts`: on update, node ports the old object did not have
/// are taken, ports without one get one, and a (protocol, node port) pair
/// may appear once.
fn update_node_ports(
    spec: &mut ServiceSpec,
    old: &ServiceSpec,
    op: &mut PortAllocationOperation<'_>,
    name: &str,
) -> Result<(), ApiError> {
    let allocate_new = should_allocate_node_ports(spec);
    let old_ports = node_ports(old);
    let mut taken_here: BTreeSet<i32> = BTreeSet::new();
    let mut seen: Vec<(String, i32)> = Vec::new();
    for (i, port) in spec.ports.iter_mut().flatten().enumerate() {
        let node_port = port.node_port.unwrap_or(0);
        if node_port == 0 && !allocate_new {
            continue;
        }
        let given = if node_port != 0 {
            if !old_ports.contains(&node_port) && !taken_here.contains(&node_port) {
                op.allocate(node_port).map_err(|why| refused(name, i, node_port, why))?;
                taken_here.insert(node_port);
            }
            node_port
        } else {
            let next =
                op.allocate_next().map_err(|why| internal_error(format!("failed to allocate a nodePort: {why}")))?;
            port.node_port = Some(next);
            next
        };
        let protocol = port.protocol.clone().unwrap_or_default();
        if seen.iter().any(|(p, n)| *p == protocol && *n == given) {
            return Err(unknown_error(format!("duplicate nodePort: {{{protocol} {given}}}")));
        }
        seen.push((protocol, given));
    }
    Ok(())
}

/// `allocHealthCheckNodePort`: the requested health check port, or a new one.
fn allocate_health_check_node_port(
    spec: &mut ServiceSpec,
    op: &mut PortAllocationOperation<'_>,
) -> Result<(), ApiError> {
    match spec.health_check_node_port.filter(|p| *p != 0) {
        Some(requested) => op.allocate(requested).map_err(|why| {
            internal_error(format!("failed to allocate requested HealthCheck NodePort {requested}: {why}"))
        }),
        None => {
            let port = op
                .allocate_next()
                .map_err(|why| internal_error(format!("failed to allocate a HealthCheck NodePort 0: {why}")))?;
            spec.health_check_node_port = Some(port);
            Ok(())
        }
    }
}

impl Cluster {
    /// The node ports the stored Services hold: their ports' and their
    /// health checks'.
    fn node_ports_in_use(&self) -> BTreeSet<i32> {
        let Some(services) = crate::resource::by_plural_name("services") else {
            return BTreeSet::new();
        };
        let mut held = BTreeSet::new();
        for object in self.store.list(services, None) {
            if let crate::Object::Service(Service { spec: Some(spec), .. }) = object {
                held.extend(node_ports(spec));
                held.extend(spec.health_check_node_port.filter(|p| *p != 0));
            }
        }
        held
    }

    /// The storage's `BeginCreate` for a Service: its node ports and health
    /// check port, before the strategy validates it.
    pub(crate) fn allocate_service_node_ports(&mut self, service: &mut Service, dry_run: bool) -> Result<(), ApiError> {
        let name = service.metadata.name.clone().unwrap_or_default();
        let held = self.node_ports_in_use();
        let Some(spec) = service.spec.as_mut() else { return Ok(()) };
        let mut op = PortAllocationOperation::new(held, &mut self.node_port_rng, dry_run);
        if needs_node_port(spec) {
            init_node_ports(spec, &mut op, &name)?;
        }
        if needs_health_check(spec) {
            allocate_health_check_node_port(spec, &mut op)?;
        }
        Ok(())
    }

    /// The storage's `BeginUpdate` for a Service: keep the node ports the
    /// client did not restate, take the new ones. Ports the update drops
    /// stay held until it is stored (`ReleaseDeferred`).
    pub(crate) fn update_service_node_ports(
        &mut self,
        service: &mut Service,
        old: &Service,
        dry_run: bool,
    ) -> Result<(), ApiError> {
        let name = service.metadata.name.clone().unwrap_or_default();
        let held = self.node_ports_in_use();
        let (Some(spec), Some(old_spec)) = (service.spec.as_mut(), old.spec.as_ref()) else { return Ok(()) };
        patch_allocated_values(spec, old_spec);
        let mut op = PortAllocationOperation::new(held, &mut self.node_port_rng, dry_run);
        if needs_node_port(spec) {
            update_node_ports(spec, old_spec, &mut op, &name)?;
        }
        if !needs_health_check(old_spec) && needs_health_check(spec) {
            allocate_health_check_node_port(spec, &mut op)?;
        }
        Ok(())
    }
}

/// The parts of `ValidateService` about the type-dependent fields: node
/// ports only where the type has them and once per protocol,
/// `allocateLoadBalancerNodePorts` only on a LoadBalancer, the external
/// traffic policy and the health check port.
pub(crate) fn validate(service: &Service, errors: &mut Vec<FieldError>) {
    let Some(spec) = &service.spec else { return };
    let ports: Vec<_> = spec.ports.iter().flatten().collect();
    if type_of(spec) == "ClusterIP" {
        for (i, port) in ports.iter().enumerate() {
            if port.node_port.unwrap_or(0) != 0 {
                errors.push(FieldError::forbidden(
                    format!("spec.ports[{i}].nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    let mut seen: Vec<(&str, i32)> = Vec::new();
    for (i, port) in ports.iter().enumerate() {
        let Some(node_port) = port.node_port.filter(|n| *n != 0) else { continue };
        let key = (port.protocol.as_deref().unwrap_or_default(), node_port);
        if seen.contains(&key) {
            errors.push(FieldError::duplicate(format!("spec.ports[{i}].nodePort"), node_port));
        }
        seen.push(key);
    }
    if spec.allocate_load_balancer_node_ports.is_some() && type_of(spec) != "LoadBalancer" {
        errors.push(FieldError::forbidden(
            "spec.allocateLoadBalancerNodePorts",
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    let policy = spec.external_traffic_policy.as_deref().unwrap_or_default();
    if !externally_accessible(spec) {
        if !policy.is_empty() {
            errors.push(FieldError::invalid(
                "spec.externalTrafficPolicy",
                policy,
                "may only be set for externally-accessible services",
            ));
        }
    } else if policy.is_empty() {
        errors.push(FieldError::required("spec.externalTrafficPolicy", ""));
    } else if !matches!(policy, "Cluster" | "Local") {
        errors.push(FieldError::not_supported("spec.externalTrafficPolicy", policy, &["Cluster", "Local"]));
    }
    let health_check = spec.health_check_node_port.unwrap_or(0);
    if !needs_health_check(spec) {
        if health_check != 0 {
            errors.push(FieldError::invalid(
                "spec.healthCheckNodePort",
                health_check,
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
            ));
        }
    } else if health_check == 0 {
        errors.push(FieldError::required("spec.healthCheckNodePort", ""));
    } else if !(1..=65535).contains(&health_check) {
        errors.push(FieldError::invalid(
            "spec.healthCheckNodePort",
            health_check,
            "must be between 1 and 65535, inclusive",
        ));
    }
}

/// `validateServiceExternalTrafficFieldsUpdate`: the health check port of
/// a Service that keeps needing one cannot change.
pub(crate) fn validate_update(new: &Service, old: &Service, errors: &mut Vec<FieldError>) {
    let (Some(spec), Some(old_spec)) = (&new.spec, &old.spec) else { return };
    if needs_health_check(old_spec)
        && needs_health_check(spec)
        && spec.health_check_node_port != old_spec.health_check_node_port
    {
        errors.push(FieldError::forbidden("spec.healthCheckNodePort", "field is immutable"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op<'a>(held: &[i32], rng: &'a mut ClusterRng, dry_run: bool) -> PortAllocationOperation<'a> {
        PortAllocationOperation::new(held.iter().copied().collect(), rng, dry_run)
    }

    #[test]
    fn the_static_band_of_the_default_range_is_86_ports() {
        // (range size, offset) as calculateRangeOffset computes them.
        for (size, offset) in [(2768, 86), (16, 0), (17, 16), (100, 16), (1024, 32), (10_000, 128)] {
            assert_eq!(range_offset(size), offset, "size {size}");
        }
    }

    #[test]
    fn requested_ports() {
        // (held, requested, dry run, expected)
        type Case = (&'static [i32], i32, bool, Result<(), PortAllocationError>);
        let cases: &[Case] = &[
            (&[], 30080, false, Ok(())),
            (&[], 30000, false, Ok(())),
            (&[], 32767, false, Ok(())),
            (&[], 80, false, Err(PortAllocationError::NotInRange)),
            (&[], 29999, false, Err(PortAllocationError::NotInRange)),
            (&[], 32768, false, Err(PortAllocationError::NotInRange)),
            (&[], -1, false, Err(PortAllocationError::NotInRange)),
            (&[30080], 30080, false, Err(PortAllocationError::Allocated)),
            (&[30080], 30081, false, Ok(())),
            // A dry run asks only whether the port is held.
            (&[], 80, true, Ok(())),
            (&[30080], 30080, true, Err(PortAllocationError::Allocated)),
        ];
        for (held, requested, dry_run, expected) in cases {
            let mut rng = ClusterRng::from_seed(0);
            assert_eq!(op(held, &mut rng, *dry_run).allocate(*requested), *expected, "{requested} over {held:?}");
        }
    }

    #[test]
    fn a_port_taken_in_the_same_operation_is_allocated() {
        let mut rng = ClusterRng::from_seed(0);
        let mut op = op(&[], &mut rng, false);
        assert_eq!(op.allocate(30080), Ok(()));
        assert_eq!(op.allocate(30080), Err(PortAllocationError::Allocated));
    }

    #[test]
    fn dynamic_picks_come_from_the_upper_band_and_are_free() {
        let mut rng = ClusterRng::from_seed(7);
        let mut op = op(&[], &mut rng, false);
        let mut picked = BTreeSet::new();
        for _ in 0..500 {
            let port = op.allocate_next().unwrap_or(0);
            assert!((NODE_PORT_BASE + 86..=NODE_PORT_MAX).contains(&port), "{port}");
            assert!(picked.insert(port), "{port} given twice");
        }
    }

    #[test]
    fn the_lower_band_serves_once_the_upper_is_full() {
        let upper: Vec<i32> = (NODE_PORT_BASE + 86..=NODE_PORT_MAX).collect();
        let mut rng = ClusterRng::from_seed(1);
        let mut op = op(&upper, &mut rng, false);
        let port = op.allocate_next().unwrap_or(0);
        assert!((NODE_PORT_BASE..NODE_PORT_BASE + 86).contains(&port), "{port}");
    }

    #[test]
    fn a_full_range_is_full() {
        let all: Vec<i32> = (NODE_PORT_BASE..=NODE_PORT_MAX).collect();
        let mut rng = ClusterRng::from_seed(1);
        assert_eq!(op(&all, &mut rng, false).allocate_next(), Err(PortAllocationError::Full));
        // Ports outside the range do not count.
        let mut rng = ClusterRng::from_seed(1);
        assert!(op(&[80, 443], &mut rng, false).allocate_next().is_ok());
    }

    #[test]
    fn the_same_seed_picks_the_same_ports() {
        let picks = |seed| {
            let mut rng = ClusterRng::from_seed(seed);
            let mut op = op(&[], &mut rng, false);
            (0..3).map(|_| op.allocate_next().unwrap_or(0)).collect::<Vec<_>>()
        };
        assert_eq!(picks(3), picks(3));
        assert_ne!(picks(3), picks(4));
    }

    #[test]
    fn dry_runs_hand_out_dummy_ports() {
        let mut rng = ClusterRng::from_seed(0);
        let mut op = op(&[], &mut rng, true);
        assert_eq!(op.allocate_next(), Ok(32769));
        assert_eq!(op.allocate_next(), Ok(32770));
        let mut rng = ClusterRng::from_seed(0);
        let mut op = super::PortAllocationOperation::new(BTreeSet::new(), &mut rng, true);
        assert_eq!(op.allocate(30080), Ok(()));
        assert_eq!(op.allocate_next(), Ok(30081));
    }

    #[test]
    fn messages_are_the_allocators() {
        assert_eq!(
            PortAllocationError::NotInRange.to_string(),
            format!(
                "provided port is not in the valid range. The range of valid ports is {NODE_PORT_BASE}-{NODE_PORT_MAX}"
            )
        );
        assert_eq!(PortAllocationError::Allocated.to_string(), "provided port is already allocated");
        assert_eq!(PortAllocationError::Full.to_string(), "range is full");
    }
}

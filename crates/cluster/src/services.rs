//! The Service registry's own rules: defaults, cluster IPs, node ports and
//! validation, as kube-apiserver v1.32 has them.
//!
//! Defaults are `SetDefaults_Service`. Validation is `ValidateService`
//! and the update-only part of `ValidateServiceUpdate`
//! (`pkg/apis/core/validation`), in upstream's order and words: ports
//! (names required when there are several, DNS-1123 labels, once; port
//! numbers; protocols; target ports as numbers or IANA names; duplicate
//! protocol and port pairs, printed as Go prints the `core.ServicePort`
//! key), the type and its own fields, the selector's labels, session
//! affinity, cluster and external IPs, node ports, traffic policies.
//!
//! The storage's `BeginCreate`/`BeginUpdate` hooks run before that
//! validation and answer on their own: the cluster IP fields are
//! normalized (`clusterIP` copied to `clusterIPs`) and loosely validated
//! (`initIPFamilyFields`, which also refuses IPv6 and dual-stack on this
//! single-stack cluster), and a requested cluster IP must be in the
//! service range (kind's 10.96.0.0/16, without its network and broadcast
//! addresses) and free. An update may not change the cluster IP.
//!
//! The same hooks give every port of a NodePort or LoadBalancer Service a
//! node port from `--service-node-port-range` (30000-32767 by default): a
//! requested one if it is free and in the range, otherwise a random free one
//! (`pkg/registry/core/service/portallocator`). Dynamic picks prefer the
//! upper part of the range and leave a lower band for static requests
//! (`calculateRangeOffset`: 86 ports of the default range, 30000-30085).
//! An update keeps the ports the old object had (`patchAllocatedValues`),
//! and a type change that no longer needs them drops them
//! (`dropTypeDependentFields`) so they are released.
//!
//! No allocator bitmap is kept here: the cluster IPs and node ports in use
//! are read from the stored Services, which is what the allocators' repair
//! loops hold their bitmaps equal to. Deleting a Service, or its
//! namespace, frees them with no bookkeeping. The random node port picks
//! draw from their own stream of the seed (`rng::NODE_PORT_STREAM`), so
//! that they leave the main stream's UIDs and names as they were.

use std::collections::{BTreeMap, BTreeSet};

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use k8s_openapi::api::core::v1::{ClientIPConfig, Service, ServicePort, ServiceSpec, SessionAffinityConfig};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::rng::ClusterRng;
use crate::status::{ApiError, StatusReason};
use crate::validation::{
    go_string_slice, is_dns1123_label, is_dns1123_subdomain, is_qualified_name, validate_labels, FieldError,
    FieldErrorType,
};
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

/// `SetDefaults_Service`, in its order: `sessionAffinity` `None` (which
/// drops a `sessionAffinityConfig`) or `ClientIP` with a 3 h timeout,
/// `type` `ClusterIP`, each port's `protocol` `TCP` and `targetPort` its
/// `port` (also for a zero or empty one), an externally accessible
/// Service's `externalTrafficPolicy` `Cluster`, `internalTrafficPolicy`
/// `Cluster` for the types with a cluster IP, and a LoadBalancer's
/// `allocateLoadBalancerNodePorts`. An empty string is as good as absent
/// (Go's `omitempty` strings), and so is a zero node port.
pub(crate) fn apply_defaults(spec: &mut ServiceSpec) {
    if spec.session_affinity.as_deref().unwrap_or_default().is_empty() {
        spec.session_affinity = Some("None".to_string());
    }
    match spec.session_affinity.as_deref() {
        Some("None") => spec.session_affinity_config = None,
        Some("ClientIP") => {
            let timeout = spec.session_affinity_config.as_ref().and_then(|c| c.client_ip.as_ref()?.timeout_seconds);
            if timeout.is_none() {
                spec.session_affinity_config = Some(SessionAffinityConfig {
                    client_ip: Some(ClientIPConfig {
                        timeout_seconds: Some(DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS),
                    }),
                });
            }
        }
        _ => {}
    }
    if type_of(spec).is_empty() {
        spec.type_ = Some("ClusterIP".to_string());
    }
    for port in spec.ports.iter_mut().flatten() {
        if port.protocol.as_deref().unwrap_or_default().is_empty() {
            port.protocol = Some("TCP".to_string());
        }
        let unset = match &port.target_port {
            None => true,
            Some(IntOrString::Int(n)) => *n == 0,
            Some(IntOrString::String(s)) => s.is_empty(),
        };
        if unset {
            port.target_port = Some(IntOrString::Int(port.port));
        }
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
    if matches!(type_of(spec), "ClusterIP" | "NodePort" | "LoadBalancer") {
        spec.internal_traffic_policy.get_or_insert_with(|| "Cluster".to_string());
    }
    if type_of(spec) == "LoadBalancer" {
        spec.allocate_load_balancer_node_ports.get_or_insert(true);
    }
}

/// `dropTypeDependentFields`: on an update that changes `type`, the fields
/// the new type does not use are cleared, when the client left them as
/// they were (a changed value is for validation to refuse): the cluster IP
/// fields of a Service turned ExternalName, node ports, the health check
/// port, the LoadBalancer fields, the external traffic policy. Cleared
/// cluster IPs and node ports are free once the update is stored.
pub(crate) fn drop_type_dependent_fields(new: &mut Service, old: &Service) {
    let (Some(spec), Some(old_spec)) = (new.spec.as_mut(), old.spec.as_ref()) else { return };
    if needs_cluster_ip(old_spec) && !needs_cluster_ip(spec) {
        if cluster_ip(old_spec) == cluster_ip(spec) && cluster_ips(old_spec) == cluster_ips(spec) {
            spec.cluster_ip = None;
            spec.cluster_ips = None;
        }
        if old_spec.ip_families.as_deref().unwrap_or_default() == spec.ip_families.as_deref().unwrap_or_default() {
            spec.ip_families = None;
        }
        if old_spec.ip_family_policy == spec.ip_family_policy {
            spec.ip_family_policy = None;
        }
    }
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

/// The service cluster IP range: kind's `serviceSubnet`, which the
/// simulator allocates from (`--service-cluster-ip-range` is fixed).
pub const SERVICE_CLUSTER_IP_RANGE: &str = "10.96.0.0/16";

/// The range's network address and prefix length.
const SERVICE_CIDR: (Ipv4Addr, u32) = (Ipv4Addr::new(10, 96, 0, 0), 16);

/// `IsValidIP`'s message.
const INVALID_IP: &str = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

/// `v1.DefaultClientIPServiceAffinitySeconds`, 3 hours.
const DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS: i32 = 10800;

/// `core.MaxClientIPServiceAffinitySeconds`, a day.
const MAX_CLIENT_IP_SERVICE_AFFINITY_SECONDS: i32 = 86400;

/// Why the service IP allocator refused a requested cluster IP
/// (`ipallocator`'s errors, in v1.32's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IpAllocationError {
    /// Outside the range, or its network or broadcast address
    /// (`ErrNotInRange`; v1.33 stopped naming the range).
    #[error(
        "the provided IP ({ip}) is not in the valid range. The range of valid IPs is {}",
        SERVICE_CLUSTER_IP_RANGE
    )]
    NotInRange {
        /// The address asked for, as Go prints a `net.IP`.
        ip: IpAddr,
    },
    /// Another Service holds it (`ErrAllocated`).
    #[error("provided IP is already allocated")]
    Allocated,
}

/// Whether the bitmap allocator of the range could hand out `ip`: in the
/// CIDR, and neither its network nor (IPv4) its broadcast address.
pub fn in_service_range(ip: Ipv4Addr) -> bool {
    let (network, prefix) = SERVICE_CIDR;
    let mask = u32::MAX << (32 - prefix);
    let (network, ip) = (u32::from(network), u32::from(ip));
    ip & mask == network && ip != network && ip != network | !mask
}

/// Go's `netutils.ParseIPSloppy`: dotted IPv4 whose parts may have leading
/// zeros (read as decimal), or IPv6; an IPv4-mapped IPv6 address is the
/// IPv4 address, as Go's `To4` makes it.
pub fn parse_ip_sloppy(value: &str) -> Option<IpAddr> {
    if value.contains(':') {
        let v6: Ipv6Addr = value.parse().ok()?;
        return Some(v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4));
    }
    let mut octets = [0u8; 4];
    let mut parts = value.split('.');
    for octet in &mut octets {
        let part = parts.next().filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))?;
        let mut n: u32 = 0;
        for digit in part.bytes() {
            n = n * 10 + u32::from(digit - b'0');
            if n > 255 {
                return None;
            }
        }
        *octet = u8::try_from(n).ok()?;
    }
    parts.next().is_none().then_some(IpAddr::V4(Ipv4Addr::from(octets)))
}

/// The `ipFamilies` name of `ip`'s family.
fn family_of(ip: IpAddr) -> &'static str {
    if ip.is_ipv6() {
        "IPv6"
    } else {
        "IPv4"
    }
}

/// `ValidateNonSpecialIP`'s details for an external IP.
fn special_ip_details(value: &str, ip: IpAddr) -> Vec<String> {
    let (unspecified, loopback, link_local, link_local_multicast) = match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            (v4.is_unspecified(), v4.is_loopback(), a == 169 && b == 254, a == 224 && b == 0 && c == 0)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            (v6.is_unspecified(), v6.is_loopback(), first & 0xffc0 == 0xfe80, first & 0xff0f == 0xff02)
        }
    };
    let mut details = Vec::new();
    if unspecified {
        details.push(format!("may not be unspecified ({value})"));
    }
    if loopback {
        details.push("may not be in the loopback range (127.0.0.0/8, ::1/128)".to_string());
    }
    if link_local {
        details.push("may not be in the link-local range (169.254.0.0/16, fe80::/10)".to_string());
    }
    if link_local_multicast {
        details.push("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)".to_string());
    }
    details
}

/// Go's `%#v` of the `core.ServicePort` key of upstream's duplicate check,
/// which sets only `Protocol` and `Port`.
fn go_service_port_key(protocol: &str, port: i32) -> String {
    format!(
        "core.ServicePort{{Name:\"\", Protocol:{protocol:?}, AppProtocol:(*string)(nil), Port:{port}, \
         TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}"
    )
}

/// An Invalid error whose value Go prints as a struct or slice.
fn invalid_rendered(field: impl Into<String>, value: String, detail: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), kind: FieldErrorType::InvalidRendered(value), detail: detail.into() }
}

/// The Invalid status of a Service.
fn invalid_service(name: &str, errors: &[FieldError]) -> ApiError {
    ApiError::invalid_kind("Service", "", "Service", name, errors)
}

fn cluster_ip(spec: &ServiceSpec) -> &str {
    spec.cluster_ip.as_deref().unwrap_or_default()
}

fn cluster_ips(spec: &ServiceSpec) -> &[String] {
    spec.cluster_ips.as_deref().unwrap_or_default()
}

/// `isHeadlessService`: `clusterIPs` is exactly `["None"]`.
fn is_headless(spec: &ServiceSpec) -> bool {
    matches!(cluster_ips(spec), [only] if only == "None")
}

/// `needsClusterIP`: every type but ExternalName.
fn needs_cluster_ip(spec: &ServiceSpec) -> bool {
    type_of(spec) != "ExternalName"
}

/// `normalizeClusterIPs` on create: a Service that names only `clusterIP`
/// (as every manifest does) gets it in `clusterIPs` too. Empty values are
/// none, as Go's empty strings and slices are.
fn normalize_cluster_ips_on_create(spec: &mut ServiceSpec) {
    if cluster_ip(spec).is_empty() {
        spec.cluster_ip = None;
    }
    if cluster_ips(spec).is_empty() {
        spec.cluster_ips = None;
    }
    if let (Some(ip), None) = (&spec.cluster_ip, &spec.cluster_ips) {
        spec.cluster_ips = Some(vec![ip.clone()]);
    }
}

/// `patchAllocatedValues` for cluster IPs, then `normalizeClusterIPs` on
/// update: an update that leaves the cluster IP out keeps the allocated
/// one; one that changes `clusterIP` alone changes `clusterIPs` with it,
/// so that validation sees the change.
fn normalize_cluster_ips_on_update(spec: &mut ServiceSpec, old: &ServiceSpec) {
    if needs_cluster_ip(old) && needs_cluster_ip(spec) {
        if cluster_ip(spec).is_empty() {
            spec.cluster_ip = old.cluster_ip.clone();
        }
        if cluster_ips(spec).is_empty() && !cluster_ips(old).is_empty() {
            spec.cluster_ips = old.cluster_ips.clone();
        }
    }
    if !cluster_ips(old).is_empty() && cluster_ips(spec).is_empty() && cluster_ip(old) == cluster_ip(spec) {
        spec.cluster_ips = old.cluster_ips.clone();
    }
    if cluster_ip(old) != cluster_ip(spec) && cluster_ips(old) == cluster_ips(spec) {
        spec.cluster_ips = match cluster_ip(spec) {
            "" => None,
            ip => Some(vec![ip.to_string()]),
        };
    }
}

/// `ValidateServiceClusterIPsRelatedFields`: `clusterIP` and `clusterIPs`
/// agree, the families and policy are known values, the IPs are IPs (or
/// one `None`), at most one per family, and of the families named.
fn validate_cluster_ips_related_fields(spec: &ServiceSpec) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !needs_cluster_ip(spec) {
        return errors;
    }
    let (ip, ips) = (cluster_ip(spec), cluster_ips(spec));
    let shown = || go_string_slice(spec.cluster_ips.as_deref());
    if !ip.is_empty() {
        match ips.first() {
            None => errors.push(FieldError::required("spec.clusterIPs", "")),
            Some(first) if first != ip => {
                errors.push(invalid_rendered("spec.clusterIPs", shown(), "first value must match `clusterIP`"))
            }
            Some(_) => {}
        }
    } else if !ips.is_empty() {
        errors.push(invalid_rendered("spec.clusterIPs", shown(), "must be empty when `clusterIP` is not specified"));
    }
    let families = spec.ip_families.as_deref().unwrap_or_default();
    for (i, family) in families.iter().enumerate() {
        if !matches!(family.as_str(), "IPv4" | "IPv6") {
            errors.push(FieldError::not_supported(format!("spec.ipFamilies[{i}]"), family.as_str(), &["IPv4", "IPv6"]));
        }
        if families.get(..i).is_some_and(|before| before.contains(family)) {
            errors.push(FieldError::duplicate(format!("spec.ipFamilies[{i}]"), family.as_str()));
        }
    }
    if let Some(policy) = spec.ip_family_policy.as_deref() {
        if !matches!(policy, "SingleStack" | "PreferDualStack" | "RequireDualStack") {
            errors.push(FieldError::not_supported(
                "spec.ipFamilyPolicy",
                policy,
                &["PreferDualStack", "RequireDualStack", "SingleStack"],
            ));
        }
    }
    let mut invalid_ips = false;
    for (i, value) in ips.iter().enumerate() {
        if i == 0 && value == "None" {
            if ips.len() > 1 {
                invalid_ips = true;
                errors.push(invalid_rendered("spec.clusterIPs", shown(), "'None' must be the first and only value"));
            }
            continue;
        }
        if parse_ip_sloppy(value).is_none() {
            invalid_ips = true;
            errors.push(FieldError::invalid(format!("spec.clusterIPs[{i}]"), value.as_str(), INVALID_IP));
        }
    }
    if ips.len() > 2 {
        errors.push(invalid_rendered("spec.clusterIPs", shown(), "may only hold up to 2 values"));
    }
    if invalid_ips {
        return errors;
    }
    let parsed: Vec<IpAddr> = ips.iter().filter_map(|ip| parse_ip_sloppy(ip)).collect();
    if parsed.len() > 1 && !(parsed.iter().any(IpAddr::is_ipv4) && parsed.iter().any(IpAddr::is_ipv6)) {
        errors.push(invalid_rendered("spec.clusterIPs", shown(), "may specify no more than one IP for each IP family"));
    }
    if !is_headless(spec) {
        for (i, (value, family)) in ips.iter().zip(families).enumerate() {
            let is_v6 = parse_ip_sloppy(value).is_some_and(|ip| ip.is_ipv6());
            if (family == "IPv4" && is_v6) || (family == "IPv6" && !is_v6) {
                errors.push(FieldError::invalid(
                    format!("spec.clusterIPs[{i}]"),
                    value.as_str(),
                    format!("expected an {family} value as indicated by `ipFamilies[{i}]`"),
                ));
            }
        }
    }
    errors
}

/// `initIPFamilyFields` on this single-stack (IPv4) cluster: the loose
/// validation of the cluster IP fields, then the policy (the old one on an
/// update, `RequireDualStack` for a headless Service without selector,
/// else `SingleStack`) and the families (from the IPs, else IPv4), with
/// the refusals of what the cluster cannot serve: IPv6, dual-stack.
fn init_ip_family_fields(spec: &mut ServiceSpec, old: Option<&ServiceSpec>, name: &str) -> Result<(), ApiError> {
    if !needs_cluster_ip(spec) {
        return Ok(());
    }
    let selectorless = spec.selector.as_ref().is_none_or(BTreeMap::is_empty);
    if spec.ip_family_policy.is_none() {
        spec.ip_family_policy = match old.and_then(|o| o.ip_family_policy.clone()) {
            Some(kept) => Some(kept),
            None if cluster_ip(spec) == "None" && selectorless => Some("RequireDualStack".to_string()),
            None => Some("SingleStack".to_string()),
        };
    }
    let errors = validate_cluster_ips_related_fields(spec);
    if !errors.is_empty() {
        return Err(invalid_service(name, &errors));
    }
    let policy = spec.ip_family_policy.clone().unwrap_or_default();
    let mut errors = Vec::new();
    let mut families = spec.ip_families.clone().unwrap_or_default();
    if policy == "SingleStack" {
        for (count, what) in [(cluster_ips(spec).len(), "cluster IPs"), (families.len(), "IP families")] {
            if count == 2 {
                errors.push(FieldError::invalid(
                    "spec.ipFamilyPolicy",
                    policy.as_str(),
                    format!("must be 'RequireDualStack' or 'PreferDualStack' when multiple {what} are specified"),
                ));
            }
        }
    }
    for (i, value) in cluster_ips(spec).iter().enumerate() {
        if value == "None" {
            break;
        }
        let family = parse_ip_sloppy(value).map_or("IPv4", family_of);
        if i >= families.len() {
            if family == "IPv4" {
                families.push(family.to_string());
            } else {
                errors.push(invalid_rendered(
                    format!("spec.clusterIPs[{i}]"),
                    go_string_slice(spec.cluster_ips.as_deref()),
                    format!("{family} is not configured on this cluster"),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(invalid_service(name, &errors));
    }
    if cluster_ip(spec) == "None" && selectorless {
        if families.is_empty() {
            families.push("IPv4".to_string());
        }
        if families.len() < 2 && policy != "SingleStack" {
            let other = if families.first().is_some_and(|f| f == "IPv4") { "IPv6" } else { "IPv4" };
            families.push(other.to_string());
        }
        spec.ip_families = Some(families);
        return Ok(());
    }
    if policy == "RequireDualStack" {
        errors.push(FieldError::invalid(
            "spec.ipFamilyPolicy",
            policy.as_str(),
            "this cluster is not configured for dual-stack services",
        ));
    }
    for (i, family) in families.iter().enumerate() {
        if family != "IPv4" {
            errors.push(FieldError::invalid(
                format!("spec.ipFamilies[{i}]"),
                family.as_str(),
                "not configured on this cluster",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(invalid_service(name, &errors));
    }
    if families.is_empty() {
        families.push("IPv4".to_string());
    }
    spec.ip_families = Some(families);
    Ok(())
}

/// `allocIPs` for the cluster IP a Service asks for: in the range and, but
/// in a dry run, not held by another Service. Asking for none, or `None`,
/// is for the allocation after validation.
fn allocate_requested_cluster_ip(
    spec: &ServiceSpec,
    held: &BTreeSet<Ipv4Addr>,
    dry_run: bool,
    name: &str,
) -> Result<(), ApiError> {
    if !needs_cluster_ip(spec) || is_headless(spec) {
        return Ok(());
    }
    for value in cluster_ips(spec).iter().filter(|ip| !ip.is_empty()) {
        let refused = match parse_ip_sloppy(value) {
            Some(IpAddr::V4(ip)) if !in_service_range(ip) => Some(IpAllocationError::NotInRange { ip: IpAddr::V4(ip) }),
            Some(ip @ IpAddr::V6(_)) => Some(IpAllocationError::NotInRange { ip }),
            Some(IpAddr::V4(ip)) if !dry_run && held.contains(&ip) => Some(IpAllocationError::Allocated),
            _ => None,
        };
        if let Some(why) = refused {
            let error = invalid_rendered(
                "spec.clusterIPs",
                go_string_slice(spec.cluster_ips.as_deref()),
                format!("failed to allocate IP {value}: {why}"),
            );
            return Err(invalid_service(name, &[error]));
        }
    }
    Ok(())
}

impl Cluster {
    /// The node ports the stored Services hold: their ports' and their
    /// health checks'.
    fn node_ports_in_use(&self) -> BTreeSet<i32> {
        let mut held = BTreeSet::new();
        for spec in self.stored_service_specs() {
            held.extend(node_ports(spec));
            held.extend(spec.health_check_node_port.filter(|p| *p != 0));
        }
        held
    }

    /// The cluster IPs the stored Services hold (what the IP allocator's
    /// repair loop holds its bitmap equal to).
    fn cluster_ips_in_use(&self) -> BTreeSet<Ipv4Addr> {
        let mut held = BTreeSet::new();
        for spec in self.stored_service_specs() {
            for value in cluster_ips(spec).iter().chain(spec.cluster_ip.as_ref()) {
                if let Some(IpAddr::V4(ip)) = parse_ip_sloppy(value) {
                    held.insert(ip);
                }
            }
        }
        held
    }

    fn stored_service_specs(&self) -> impl Iterator<Item = &ServiceSpec> {
        let services = crate::resource::by_plural_name("services");
        services.into_iter().flat_map(|services| self.store.list(services, None)).filter_map(|object| match object {
            crate::Object::Service(Service { spec: Some(spec), .. }) => Some(spec),
            _ => None,
        })
    }

    /// The storage's `BeginCreate` for a Service, before the strategy
    /// validates it: the cluster IP fields (`normalizeClusterIPs`,
    /// `initIPFamilyFields`, a requested cluster IP), then the node ports
    /// and health check port.
    pub(crate) fn allocate_service_node_ports(&mut self, service: &mut Service, dry_run: bool) -> Result<(), ApiError> {
        let name = service.metadata.name.clone().unwrap_or_default();
        let held_ips = self.cluster_ips_in_use();
        let held = self.node_ports_in_use();
        let Some(spec) = service.spec.as_mut() else { return Ok(()) };
        normalize_cluster_ips_on_create(spec);
        init_ip_family_fields(spec, None, &name)?;
        allocate_requested_cluster_ip(spec, &held_ips, dry_run, &name)?;
        let mut op = PortAllocationOperation::new(held, &mut self.node_port_rng, dry_run);
        if needs_node_port(spec) {
            init_node_ports(spec, &mut op, &name)?;
        }
        if needs_health_check(spec) {
            allocate_health_check_node_port(spec, &mut op)?;
        }
        Ok(())
    }

    /// The storage's `BeginUpdate` for a Service: keep the cluster IP and
    /// node ports the client did not restate, check the cluster IP fields
    /// (and a cluster IP asked for by a Service leaving ExternalName), take
    /// the new node ports. Ports the update drops stay held until it is
    /// stored (`ReleaseDeferred`).
    pub(crate) fn update_service_node_ports(
        &mut self,
        service: &mut Service,
        old: &Service,
        dry_run: bool,
    ) -> Result<(), ApiError> {
        let name = service.metadata.name.clone().unwrap_or_default();
        let held_ips = self.cluster_ips_in_use();
        let held = self.node_ports_in_use();
        let (Some(spec), Some(old_spec)) = (service.spec.as_mut(), old.spec.as_ref()) else { return Ok(()) };
        normalize_cluster_ips_on_update(spec, old_spec);
        init_ip_family_fields(spec, Some(old_spec), &name)?;
        if !needs_cluster_ip(old_spec) {
            allocate_requested_cluster_ip(spec, &held_ips, dry_run, &name)?;
        }
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

/// `IsValidPortName`: an IANA service name (RFC 6335), as a `targetPort`
/// that names a container port must be.
pub fn is_valid_port_name(port: &str) -> Vec<String> {
    let mut details = Vec::new();
    if port.len() > 15 {
        details.push("must be no more than 15 characters".to_string());
    }
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        details.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string());
    }
    if !port.bytes().any(|b| b.is_ascii_lowercase()) {
        details.push("must contain at least one letter (a-z)".to_string());
    }
    if port.contains("--") {
        details.push("must not contain consecutive hyphens".to_string());
    }
    if port.starts_with('-') || port.ends_with('-') {
        details.push("must not begin or end with a hyphen".to_string());
    }
    details
}

/// `IsValidPortNum`.
fn is_valid_port_num(port: i32) -> bool {
    (1..=65535).contains(&port)
}

const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";

/// `ports.KubeletPort`, which a v1.32 LoadBalancer may not expose.
const KUBELET_PORT: i32 = 10250;

/// `validateServicePort`: a name (required when there are several ports,
/// a DNS-1123 label, once), the port, the protocol, the target port (a
/// number or an IANA name) and the application protocol.
fn validate_service_port<'a>(
    port: &'a ServicePort,
    require_name: bool,
    names: &mut Vec<&'a str>,
    field: &str,
    errors: &mut Vec<FieldError>,
) {
    let name = port.name.as_deref().unwrap_or_default();
    if require_name && name.is_empty() {
        errors.push(FieldError::required(format!("{field}.name"), ""));
    } else if !name.is_empty() {
        for detail in is_dns1123_label(name) {
            errors.push(FieldError::invalid(format!("{field}.name"), name, detail));
        }
        if names.contains(&name) {
            errors.push(FieldError::duplicate(format!("{field}.name"), name));
        } else {
            names.push(name);
        }
    }
    if !is_valid_port_num(port.port) {
        errors.push(FieldError::invalid(format!("{field}.port"), port.port, PORT_RANGE));
    }
    match port.protocol.as_deref().unwrap_or_default() {
        "" => errors.push(FieldError::required(format!("{field}.protocol"), "")),
        "TCP" | "UDP" | "SCTP" => {}
        other => errors.push(FieldError::not_supported(format!("{field}.protocol"), other, &["SCTP", "TCP", "UDP"])),
    }
    match &port.target_port {
        Some(IntOrString::String(target)) => {
            for detail in is_valid_port_name(target) {
                errors.push(FieldError::invalid(format!("{field}.targetPort"), target.as_str(), detail));
            }
        }
        Some(IntOrString::Int(target)) if !is_valid_port_num(*target) => {
            errors.push(FieldError::invalid(format!("{field}.targetPort"), *target, PORT_RANGE));
        }
        Some(IntOrString::Int(_)) => {}
        None if !is_valid_port_num(port.port) => {
            errors.push(FieldError::invalid(format!("{field}.targetPort"), port.port, PORT_RANGE));
        }
        None => {}
    }
    if let Some(app_protocol) = &port.app_protocol {
        for detail in is_qualified_name(app_protocol) {
            errors.push(FieldError::invalid(format!("{field}.appProtocol"), app_protocol.as_str(), detail));
        }
    }
}

/// The ExternalName case of `ValidateService`: no cluster IP fields, and
/// a DNS subdomain (a trailing dot allowed) in `externalName`.
fn validate_external_name(spec: &ServiceSpec, errors: &mut Vec<FieldError>) {
    const NOT_FOR_EXTERNAL_NAME: &str = "may not be set for ExternalName services";
    if !cluster_ips(spec).is_empty() {
        errors.push(FieldError::forbidden("spec.clusterIPs", NOT_FOR_EXTERNAL_NAME));
    }
    if !spec.ip_families.as_deref().unwrap_or_default().is_empty() {
        errors.push(FieldError::forbidden("spec.ipFamilies", NOT_FOR_EXTERNAL_NAME));
    }
    if spec.ip_family_policy.is_some() {
        errors.push(FieldError::forbidden("spec.ipFamilyPolicy", NOT_FOR_EXTERNAL_NAME));
    }
    let external_name = spec.external_name.as_deref().unwrap_or_default();
    let cname = external_name.strip_suffix('.').unwrap_or(external_name);
    if cname.is_empty() {
        errors.push(FieldError::required("spec.externalName", ""));
    } else {
        for detail in is_dns1123_subdomain(cname) {
            errors.push(FieldError::invalid("spec.externalName", cname, detail));
        }
    }
}

/// `sessionAffinity` and, for `ClientIP`, its timeout
/// (`validateClientIPAffinityConfig`).
fn validate_session_affinity(spec: &ServiceSpec, errors: &mut Vec<FieldError>) {
    let affinity = spec.session_affinity.as_deref().unwrap_or_default();
    match affinity {
        "" => errors.push(FieldError::required("spec.sessionAffinity", "")),
        "ClientIP" | "None" => {}
        other => errors.push(FieldError::not_supported("spec.sessionAffinity", other, &["ClientIP", "None"])),
    }
    let config = spec.session_affinity_config.as_ref();
    if affinity == "ClientIP" {
        let required = "when session affinity type is ClientIP";
        let Some(config) = config else {
            errors.push(FieldError::required("spec.sessionAffinityConfig", required));
            return;
        };
        let Some(client_ip) = &config.client_ip else {
            errors.push(FieldError::required("spec.sessionAffinityConfig.clientIP", required));
            return;
        };
        let field = "spec.sessionAffinityConfig.clientIP.timeoutSeconds";
        match client_ip.timeout_seconds {
            None => errors.push(FieldError::required(field, required)),
            Some(t) if t <= 0 || t > MAX_CLIENT_IP_SERVICE_AFFINITY_SECONDS => errors.push(FieldError::invalid(
                field,
                t,
                format!("must be greater than 0 and less than {MAX_CLIENT_IP_SERVICE_AFFINITY_SECONDS}"),
            )),
            Some(_) => {}
        }
    } else if affinity == "None" && config.is_some() {
        errors
            .push(FieldError::forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"));
    }
}

/// `validateLoadBalancerClassField`: a LoadBalancer's class is a qualified
/// name that an update may not change; other types have none.
fn validate_load_balancer_class(old: Option<&ServiceSpec>, spec: &ServiceSpec, errors: &mut Vec<FieldError>) {
    let field = "spec.loadBalancerClass";
    let is_load_balancer = type_of(spec) == "LoadBalancer";
    if let Some(old) = old {
        if type_of(old) == "LoadBalancer" && is_load_balancer && old.load_balancer_class != spec.load_balancer_class {
            let shown = spec.load_balancer_class.clone().map_or(serde_json::Value::Null, serde_json::Value::String);
            errors.push(FieldError::invalid(field, shown, "may not change once set"));
        }
    }
    match &spec.load_balancer_class {
        Some(class) if is_load_balancer => {
            for detail in is_qualified_name(class) {
                errors.push(FieldError::invalid(field, class.as_str(), detail));
            }
        }
        Some(_) => errors.push(FieldError::forbidden(field, "may only be used when `type` is 'LoadBalancer'")),
        None => {}
    }
}

/// `ValidateService` past the object meta (which `strategy::validate`
/// checks for every kind), in upstream's order: ports required (but for
/// headless and ExternalName Services), the type-specific cases (a
/// LoadBalancer may not expose the kubelet's port), each
/// port, the selector's labels, session affinity, the cluster IP fields,
/// external IPs, the type, node ports, duplicate (protocol, port) pairs,
/// `allocateLoadBalancerNodePorts`, the load balancer class, the external
/// and internal traffic policies and the traffic distribution.
pub(crate) fn validate(service: &Service, errors: &mut Vec<FieldError>) {
    let Some(spec) = &service.spec else { return };
    let ports = spec.ports.as_deref().unwrap_or_default();
    let type_ = type_of(spec);
    if ports.is_empty() && !is_headless(spec) && type_ != "ExternalName" {
        errors.push(FieldError::required("spec.ports", ""));
    }
    if type_ == "LoadBalancer" {
        // Removed after v1.32 (kubernetes#129174).
        for (i, port) in ports.iter().enumerate().filter(|(_, p)| p.port == KUBELET_PORT) {
            errors.push(FieldError::invalid(
                format!("spec.ports[{i}]"),
                port.port,
                format!("may not expose port {KUBELET_PORT} externally since it is used by kubelet"),
            ));
        }
    }
    match type_ {
        "LoadBalancer" | "NodePort" if is_headless(spec) => errors.push(FieldError::invalid(
            "spec.clusterIPs[0]",
            "None",
            format!("may not be set to 'None' for {type_} services"),
        )),
        "ExternalName" => validate_external_name(spec, errors),
        _ => {}
    }
    let mut names = Vec::new();
    for (i, port) in ports.iter().enumerate() {
        validate_service_port(port, ports.len() > 1, &mut names, &format!("spec.ports[{i}]"), errors);
    }
    if let Some(selector) = &spec.selector {
        errors.extend(validate_labels(selector, "spec.selector"));
    }
    validate_session_affinity(spec, errors);
    errors.extend(validate_cluster_ips_related_fields(spec));
    for (i, value) in spec.external_ips.iter().flatten().enumerate() {
        let field = format!("spec.externalIPs[{i}]");
        match parse_ip_sloppy(value) {
            None => errors.push(FieldError::invalid(field, value.as_str(), INVALID_IP)),
            Some(ip) => {
                for detail in special_ip_details(value, ip) {
                    errors.push(FieldError::invalid(field.clone(), value.as_str(), detail));
                }
            }
        }
    }
    match type_ {
        "" => errors.push(FieldError::required("spec.type", "")),
        "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName" => {}
        other => errors.push(FieldError::not_supported(
            "spec.type",
            other,
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        )),
    }
    if type_ == "ClusterIP" {
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
    let mut seen: Vec<(&str, i32)> = Vec::new();
    for (i, port) in ports.iter().enumerate() {
        let key = (port.protocol.as_deref().unwrap_or_default(), port.port);
        if seen.contains(&key) {
            errors.push(FieldError {
                field: format!("spec.ports[{i}]"),
                kind: FieldErrorType::DuplicateRendered(go_service_port_key(key.0, key.1)),
                detail: String::new(),
            });
        }
        seen.push(key);
    }
    if spec.allocate_load_balancer_node_ports.is_some() && type_ != "LoadBalancer" {
        errors.push(FieldError::forbidden(
            "spec.allocateLoadBalancerNodePorts",
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    validate_load_balancer_class(None, spec, errors);
    validate_external_traffic_policy(spec, errors);
    match spec.internal_traffic_policy.as_deref() {
        None if matches!(type_, "ClusterIP" | "NodePort" | "LoadBalancer") => {
            errors.push(FieldError::required("spec.internalTrafficPolicy", ""))
        }
        Some(policy) if !matches!(policy, "Cluster" | "Local") => {
            errors.push(FieldError::not_supported("spec.internalTrafficPolicy", policy, &["Cluster", "Local"]))
        }
        _ => {}
    }
    if let Some(distribution) = spec.traffic_distribution.as_deref().filter(|d| *d != "PreferClose") {
        errors.push(FieldError::not_supported("spec.trafficDistribution", distribution, &["PreferClose"]));
    }
}

/// `validateServiceExternalTrafficPolicy`: the external traffic policy
/// only on externally accessible Services, the health check port only on
/// a Local LoadBalancer.
fn validate_external_traffic_policy(spec: &ServiceSpec, errors: &mut Vec<FieldError>) {
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
    } else if !is_valid_port_num(health_check) {
        errors.push(FieldError::invalid("spec.healthCheckNodePort", health_check, PORT_RANGE));
    }
}

/// `validateUpgradeDowngradeClusterIPs` on this single-stack cluster: the
/// cluster IP cannot change or go once set (but from, to or between
/// headless and ExternalName Services).
fn validate_cluster_ips_update(old: &ServiceSpec, spec: &ServiceSpec, errors: &mut Vec<FieldError>) {
    if !needs_cluster_ip(old) || !needs_cluster_ip(spec) || (is_headless(old) && is_headless(spec)) {
        return;
    }
    let (before, after) = (cluster_ips(old), cluster_ips(spec));
    let shown = || go_string_slice(spec.cluster_ips.as_deref());
    let changed = |i: usize| format!("spec.clusterIPs[{i}]");
    if before.len() == after.len() {
        for (i, (was, is)) in before.iter().zip(after).enumerate() {
            if was != is {
                errors.push(invalid_rendered(changed(i), shown(), "may not change once set"));
            }
        }
    } else if before.len() > after.len() {
        if after.is_empty() {
            errors.push(invalid_rendered(changed(0), shown(), "primary clusterIP can not be unset"));
        }
        if let (Some(was), Some(is)) = (before.first(), after.first()) {
            if was != is {
                errors.push(invalid_rendered(changed(0), shown(), "may not change once set"));
            }
        }
        if after.len() == 1 && spec.ip_family_policy.as_deref() != Some("SingleStack") {
            let shown = spec.ip_family_policy.clone().map_or(serde_json::Value::Null, serde_json::Value::String);
            errors.push(FieldError::invalid(
                "spec.ipFamilyPolicy",
                shown,
                "must be set to 'SingleStack' when releasing the secondary clusterIP",
            ));
        }
    } else if let (Some(was), Some(is)) = (before.first(), after.first()) {
        if was != is {
            errors.push(invalid_rendered(changed(0), shown(), "may not change once set"));
        }
    }
}

/// The update-only parts of `ValidateServiceUpdate`: the cluster IPs, the
/// load balancer class, and the health check port of a Service that keeps
/// needing one (`validateServiceExternalTrafficFieldsUpdate`).
pub(crate) fn validate_update(new: &Service, old: &Service, errors: &mut Vec<FieldError>) {
    let (Some(spec), Some(old_spec)) = (&new.spec, &old.spec) else { return };
    validate_cluster_ips_update(old_spec, spec, errors);
    validate_load_balancer_class(Some(old_spec), spec, errors);
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
    fn ips_parse_as_go_parses_them_sloppily() {
        // (text, the address, or None)
        let v4 = |a, b, c, d| Some(IpAddr::V4(Ipv4Addr::new(a, b, c, d)));
        let rows: &[(&str, Option<IpAddr>)] = &[
            ("10.96.0.1", v4(10, 96, 0, 1)),
            ("010.096.000.001", v4(10, 96, 0, 1)),
            ("::ffff:10.96.0.5", v4(10, 96, 0, 5)),
            ("fd00::1", Some(IpAddr::V6(Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 1)))),
            ("256.1.1.1", None),
            ("10.96.0", None),
            ("10.96.0.1.2", None),
            ("10.96..1", None),
            ("10.96.0.-1", None),
            ("", None),
            ("None", None),
        ];
        for (text, ip) in rows {
            assert_eq!(parse_ip_sloppy(text), *ip, "{text}");
        }
    }

    #[test]
    fn the_service_range_leaves_out_its_network_and_broadcast_addresses() {
        for (ip, inside) in [
            (Ipv4Addr::new(10, 96, 0, 0), false),
            (Ipv4Addr::new(10, 96, 0, 1), true),
            (Ipv4Addr::new(10, 96, 255, 254), true),
            (Ipv4Addr::new(10, 96, 255, 255), false),
            (Ipv4Addr::new(10, 97, 0, 1), false),
            (Ipv4Addr::new(192, 168, 0, 1), false),
        ] {
            assert_eq!(in_service_range(ip), inside, "{ip}");
        }
    }

    #[test]
    fn port_names_are_iana_service_names() {
        // (name, upstream's details)
        let rows: &[(&str, &[&str])] = &[
            ("http", &[]),
            ("http-alt2", &[]),
            ("a23456789012345", &[]),
            ("a234567890123456", &["must be no more than 15 characters"]),
            ("8080", &["must contain at least one letter (a-z)"]),
            ("Http", &["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"]),
            ("web--api", &["must not contain consecutive hyphens"]),
            ("-web", &["must not begin or end with a hyphen"]),
            ("-", &["must contain at least one letter (a-z)", "must not begin or end with a hyphen"]),
        ];
        for (name, details) in rows {
            assert_eq!(is_valid_port_name(name), *details, "{name}");
        }
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
        assert_eq!(
            IpAllocationError::NotInRange { ip: IpAddr::V4(Ipv4Addr::new(1, 2, 3, 4)) }.to_string(),
            "the provided IP (1.2.3.4) is not in the valid range. The range of valid IPs is 10.96.0.0/16"
        );
        assert_eq!(IpAllocationError::Allocated.to_string(), "provided IP is already allocated");
    }
}

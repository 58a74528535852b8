//! `-h`/`--help`, `kubectl help`, `kubectl options` and the root help, in
//! kubectl v1.32's layout (description, `Examples:`, `Available Commands:`,
//! `Options:`, `Usage:`, footer). Descriptions and examples are the
//! playground's own short words; the options listed are the flags the
//! playground acts on, with kubectl's names, shorthands and defaults.

use super::cli::{self, Flag};

/// Help for one command.
struct Page {
    /// The command path (`"get"`, `"create serviceaccount"`).
    path: &'static str,
    /// The one-line summary shown in command lists.
    short: &'static str,
    /// The description at the top of the page.
    long: &'static str,
    /// `(comment, command)` pairs.
    examples: &'static [(&'static str, &'static str)],
    /// The `Usage:` line after `kubectl `.
    usage: &'static str,
    /// The flags described, by long name, with the playground's words.
    options: &'static [(&'static str, &'static str)],
}

const OUTPUT: (&str, &str) = ("output", "Output format: json, yaml or name.");
const DRY_RUN: (&str, &str) =
    ("dry-run", "\"none\", \"server\" or \"client\": with client or server, show the object without saving it.");

static PAGES: &[Page] = &[
    Page {
        path: "get",
        short: "Show one or many objects",
        long: "List objects of a type, or show some by name.\n\n Tables show the most useful columns; -o yaml or -o json show whole objects. Without a namespace, namespaced types are listed from the current one.\n\nUse \"kubectl api-resources\" for a complete list of supported resources.",
        examples: &[
            ("List the service accounts in the current namespace", "kubectl get serviceaccounts"),
            ("Show one service account as YAML", "kubectl get sa default -o yaml"),
            ("List pods in every namespace", "kubectl get pods -A"),
            ("List secrets with the label app=web", "kubectl get secrets -l app=web"),
        ],
        usage: "get [(-o|--output=)json|yaml|name|wide] (TYPE [NAME | -l label] | TYPE/NAME ...) [flags] [options]",
        options: &[
            ("all-namespaces", "List objects from all namespaces."),
            ("output", "Output format: json, yaml, name or wide."),
            ("selector", "Only objects whose labels match this selector (e.g. -l app=web)."),
            ("show-labels", "Add a LABELS column."),
        ],
    },
    Page {
        path: "describe",
        short: "Show the details of objects",
        long: "Show an object's details in a readable form, with related information such as the secrets and tokens of a service account or the rules of a role.",
        examples: &[
            ("Describe a service account", "kubectl describe serviceaccount default"),
            ("Describe a role binding in kube-system", "kubectl describe rolebinding -n kube-system system:controller:token-cleaner"),
        ],
        usage: "describe (TYPE [NAME_PREFIX] | TYPE/NAME) [options]",
        options: &[],
    },
    Page {
        path: "create",
        short: "Create objects from a file, standard input or flags",
        long: "Create objects from a YAML or JSON file, or from standard input with -f -.",
        examples: &[
            ("Create the objects in sa.yaml", "kubectl create -f sa.yaml"),
            ("Create objects from standard input", "cat sa.yaml | kubectl create -f -"),
        ],
        usage: "create -f FILENAME [options]",
        options: &[("filename", "The file holding the objects, or - for standard input.")],
    },
    Page {
        path: "create serviceaccount",
        short: "Create a service account",
        long: "Create a service account with the given name.",
        examples: &[("Create a service account named build-robot", "kubectl create serviceaccount build-robot")],
        usage: "create serviceaccount NAME [--dry-run=server|client|none] [options]",
        options: &[DRY_RUN, OUTPUT],
    },
    Page {
        path: "create namespace",
        short: "Create a namespace",
        long: "Create a namespace with the given name.",
        examples: &[("Create a namespace named team-a", "kubectl create namespace team-a")],
        usage: "create namespace NAME [--dry-run=server|client|none] [options]",
        options: &[],
    },
    Page {
        path: "create secret",
        short: "Create a secret",
        long: "Create a secret. This playground has the generic and docker-registry kinds (kubectl also has tls).",
        examples: &[("Create a secret holding one key", "kubectl create secret generic db-pass --from-literal=password=s3cret")],
        usage: "create secret (docker-registry | generic) NAME [options]",
        options: &[],
    },
    Page {
        path: "create secret docker-registry",
        short: "Create a secret with credentials for an image registry",
        long: "Create a secret of type kubernetes.io/dockerconfigjson holding the credentials nodes use to pull images from a private registry: its .dockerconfigjson key is a Docker config file (the kind docker login writes) made from --docker-server, --docker-username, --docker-password and the optional --docker-email, or is read from an existing file with --from-file.\n\n List the secret under imagePullSecrets in a pod, or in a service account so that its pods get it.",
        examples: &[
            ("Create a secret for a private registry", "kubectl create secret docker-registry regcred --docker-server=registry.example --docker-username=robot --docker-password=s3cret --docker-email=robot@example.com"),
            ("Create a secret from an existing Docker config file", "kubectl create secret docker-registry regcred --from-file=config.json"),
            ("Let the pods of the default service account use it", "kubectl patch serviceaccount default -p '{\"imagePullSecrets\": [{\"name\": \"regcred\"}]}'"),
        ],
        usage: "create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none] [options]",
        options: &[
            ("append-hash", "Add a hash of the secret's content to its name."),
            ("docker-email", "The email address to store (optional)."),
            ("docker-password", "The password for the registry."),
            ("docker-server", "The registry's address."),
            ("docker-username", "The user name for the registry."),
            ("from-file", "A Docker config file to store instead of the --docker-* flags: PATH (stored under .dockerconfigjson) or KEY=PATH; repeat for several."),
            DRY_RUN,
            OUTPUT,
        ],
    },
    Page {
        path: "create secret generic",
        short: "Create a secret from literal values or files",
        long: "Create a secret whose keys come from --from-literal KEY=VALUE pairs or from files (--from-file, the file's name as the key unless KEY=PATH is given).",
        examples: &[
            ("Create a secret with two keys", "kubectl create secret generic db --from-literal=user=app --from-literal=password=s3cret"),
            ("Create a secret from a file", "kubectl create secret generic tls-ca --from-file=ca.crt"),
            ("Create a service account token secret", "kubectl create secret generic build-robot-token --type=kubernetes.io/service-account-token"),
        ],
        usage: "create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
        options: &[
            ("from-env-file", "A file of KEY=VALUE lines, one key each (not with --from-file or --from-literal)."),
            ("from-file", "A file to read a key from: KEY=PATH, or PATH with the file's name as the key, or a directory for each file in it; repeat for several."),
            ("from-literal", "A key and its value, KEY=VALUE; repeat for several."),
            ("type", "The secret's type, e.g. kubernetes.io/service-account-token."),
            DRY_RUN,
            OUTPUT,
        ],
    },
    Page {
        path: "create configmap",
        short: "Create a config map from literal values or files",
        long: "Create a config map whose keys come from --from-literal KEY=VALUE pairs, from files (--from-file, the file's name as the key unless KEY=PATH is given) or from a file of KEY=VALUE lines (--from-env-file).",
        examples: &[
            ("Create a config map with two keys", "kubectl create configmap app-config --from-literal=mode=dev --from-literal=level=debug"),
            ("Create a config map from a file", "kubectl create configmap app-config --from-file=settings.ini"),
        ],
        usage: "create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
        options: &[
            ("from-env-file", "A file of KEY=VALUE lines, one key each (not with --from-file or --from-literal)."),
            ("from-file", "A file to read a key from: KEY=PATH, or PATH with the file's name as the key, or a directory for each file in it; repeat for several."),
            ("from-literal", "A key and its value, KEY=VALUE; repeat for several."),
            DRY_RUN,
            OUTPUT,
        ],
    },
    Page {
        path: "create token",
        short: "Get a token for a service account",
        long: "Ask the API server for a new token of a service account (the TokenRequest API) and print it.",
        examples: &[
            ("Get a token for the service account build-robot", "kubectl create token build-robot"),
            ("Get a token that lasts ten minutes", "kubectl create token build-robot --duration=10m"),
            ("Get a token for another audience", "kubectl create token build-robot --audience=vault"),
            ("Get a token bound to a secret", "kubectl create token build-robot --bound-object-kind Secret --bound-object-name mysecret"),
        ],
        usage: "create token SERVICE_ACCOUNT_NAME [options]",
        options: &[
            ("audience", "An intended audience of the token; repeat for several. Defaults to the API server's."),
            ("bound-object-kind", "Kind of an object the token is bound to: Pod, Secret or Node."),
            ("bound-object-name", "Name of the object the token is bound to."),
            ("bound-object-uid", "UID of the object the token is bound to."),
            ("duration", "How long the token should last (e.g. 10m, 1h); the server may change it."),
            OUTPUT,
        ],
    },
    Page {
        path: "create role",
        short: "Create a role with one rule",
        long: "Create a role with one rule.",
        examples: &[("A role that can read pods", "kubectl create role pod-reader --verb=get,list,watch --resource=pods")],
        usage: "create role NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] [--dry-run=server|client|none] [options]",
        options: &[
            DRY_RUN,
            OUTPUT,
            ("resource", "Resources the rule applies to."),
            ("resource-name", "Names of the objects the rule is limited to."),
            ("verb", "Verbs the rule allows."),
        ],
    },
    Page {
        path: "create clusterrole",
        short: "Create a cluster role with one rule",
        long: "Create a cluster role with one rule.",
        examples: &[
            ("A cluster role that can read pods", "kubectl create clusterrole pod-reader --verb=get,list,watch --resource=pods"),
            ("A cluster role for a non-resource URL", "kubectl create clusterrole health --verb=get --non-resource-url=/healthz"),
        ],
        usage: "create clusterrole NAME --verb=verb --resource=resource.group [--resource-name=resourcename] [--dry-run=server|client|none] [options]",
        options: &[
            DRY_RUN,
            ("non-resource-url", "Non-resource URLs the rule allows."),
            OUTPUT,
            ("resource", "Resources the rule applies to."),
            ("resource-name", "Names of the objects the rule is limited to."),
            ("verb", "Verbs the rule allows."),
        ],
    },
    Page {
        path: "create rolebinding",
        short: "Grant a role or cluster role in a namespace",
        long: "Create a role binding that grants a role or cluster role in one namespace.",
        examples: &[(
            "Let the service account team-a:build-robot read pods in team-a",
            "kubectl create rolebinding read-pods --role=pod-reader --serviceaccount=team-a:build-robot -n team-a",
        )],
        usage: "create rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]",
        options: &[
            ("clusterrole", "The cluster role to grant."),
            DRY_RUN,
            ("group", "Groups to bind."),
            OUTPUT,
            ("role", "The role to grant."),
            ("serviceaccount", "Service accounts to bind, as namespace:name."),
            ("user", "Users to bind."),
        ],
    },
    Page {
        path: "create clusterrolebinding",
        short: "Grant a cluster role in every namespace",
        long: "Create a cluster role binding that grants a cluster role in every namespace.",
        examples: &[(
            "Let the service account default:build-robot view everything",
            "kubectl create clusterrolebinding robot-view --clusterrole=view --serviceaccount=default:build-robot",
        )],
        usage: "create clusterrolebinding NAME --clusterrole=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]",
        options: &[
            ("clusterrole", "The cluster role to grant."),
            DRY_RUN,
            ("group", "Groups to bind."),
            OUTPUT,
            ("serviceaccount", "Service accounts to bind, as namespace:name."),
            ("user", "Users to bind."),
        ],
    },
    Page {
        path: "apply",
        short: "Create or update objects to match a file",
        long: "Create the objects of a file, or change existing ones to match it. The applied configuration is kept in an annotation for the next apply.",
        examples: &[
            ("Apply the objects in sa.yaml", "kubectl apply -f sa.yaml"),
            ("Apply objects from standard input", "cat sa.yaml | kubectl apply -f -"),
        ],
        usage: "apply (-f FILENAME) [options]",
        options: &[("filename", "The file holding the objects, or - for standard input.")],
    },
    Page {
        path: "delete",
        short: "Delete objects by type and name",
        long: "Delete objects by type and name. Pods stop gracefully: they stay Terminating for their grace period.",
        examples: &[
            ("Delete a service account", "kubectl delete serviceaccount build-robot"),
            ("Delete a pod at once", "kubectl delete pod web --grace-period=0 --force"),
        ],
        usage: "delete (TYPE [NAME] | TYPE/NAME) [options]",
        options: &[
            ("force", "Remove the object at once (a grace period of 0); not with a grace period above 0."),
            ("grace-period", "Seconds a pod gets to stop; -1 uses the pod's own setting, 0 without --force is sent as 1."),
            ("now", "The same as --grace-period=1."),
            ("output", "name prints KIND/NAME for each deleted object."),
        ],
    },
    Page {
        path: "auth",
        short: "Check authentication and authorization",
        long: "Check who you are and what you may do.",
        examples: &[],
        usage: "auth [flags] [options]",
        options: &[],
    },
    Page {
        path: "auth can-i",
        short: "Ask whether an action is allowed",
        long: "Ask the API server whether the current user (or the one given with --as) may do something.\n\n Prints yes or no; the exit status is 0 for yes and 1 for no.",
        examples: &[
            ("May I list pods?", "kubectl auth can-i list pods"),
            ("May a service account read secrets in kube-system?", "kubectl auth can-i get secrets -n kube-system --as=system:serviceaccount:default:build-robot"),
            ("List everything I may do in the current namespace", "kubectl auth can-i --list"),
        ],
        usage: "auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [options]",
        options: &[
            ("all-namespaces", "Check the action in every namespace."),
            ("list", "List all allowed actions."),
            ("no-headers", "Leave out the header with --list."),
            ("quiet", "Print nothing; only set the exit status."),
            ("subresource", "The subresource, such as token or log."),
        ],
    },
    Page {
        path: "auth whoami",
        short: "Show who the API server thinks you are",
        long: "Show who the API server thinks you are: user name, UID, groups and extra attributes.",
        examples: &[
            ("Who am I?", "kubectl auth whoami"),
            ("Who am I with this token?", "kubectl auth whoami --token=\"$TOKEN\""),
        ],
        usage: "auth whoami [options]",
        options: &[OUTPUT],
    },
    Page {
        path: "exec",
        short: "Run a command in a container",
        long: "Run a command in a container of a pod. In the playground, cat, ls and echo are available inside containers.",
        examples: &[
            ("Read the mounted service account token", "kubectl exec web -- cat /var/run/secrets/kubernetes.io/serviceaccount/token"),
            ("List the files of the mount in container app", "kubectl exec web -c app -- ls /var/run/secrets/kubernetes.io/serviceaccount"),
        ],
        usage: "exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]",
        options: &[("container", "The container to run in; defaults to the first one.")],
    },
    Page {
        path: "cluster-info",
        short: "Show the control plane's address",
        long: "Show the address of the control plane.",
        examples: &[("Show the control plane's address", "kubectl cluster-info")],
        usage: "cluster-info [flags] [options]",
        options: &[],
    },
    Page {
        path: "patch",
        short: "Change fields of an object",
        long: "Change some fields of an object with a strategic merge patch (the default), a JSON merge patch or a JSON patch.\n\n The patch may be written in JSON or YAML.",
        examples: &[
            ("Turn off token automounting for the default service account", "kubectl patch serviceaccount default -p '{\"automountServiceAccountToken\": false}'"),
            ("The same change written as YAML", "kubectl patch sa default -p 'automountServiceAccountToken: false'"),
            ("Replace a field with a JSON patch", "kubectl patch sa build-robot --type=json -p='[{\"op\": \"replace\", \"path\": \"/automountServiceAccountToken\", \"value\": true}]'"),
        ],
        usage: "patch (TYPE NAME | TYPE/NAME) [-p PATCH] [options]",
        options: &[
            DRY_RUN,
            OUTPUT,
            ("patch", "The patch to apply."),
            ("type", "The kind of patch: json, merge or strategic."),
        ],
    },
    Page {
        path: "label",
        short: "Add, change or remove labels",
        long: "Add, change or remove labels of objects.\n\n A label is KEY=VALUE; KEY- removes it. Changing an existing label needs --overwrite.",
        examples: &[
            ("Label a service account", "kubectl label serviceaccount build-robot team=ci"),
            ("Change the label", "kubectl label sa build-robot team=release --overwrite"),
            ("Remove the label", "kubectl label sa build-robot team-"),
            ("Label every service account of the namespace", "kubectl label sa --all audited=true"),
        ],
        usage: "label [--overwrite] (TYPE NAME | TYPE/NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [options]",
        options: &[
            ("all", "Change every object of the type in the namespace."),
            ("dry-run", "\"none\", \"server\" or \"client\": with client or server, show the change without saving it."),
            ("list", "Print the labels of the objects."),
            OUTPUT,
            ("overwrite", "Allow replacing existing labels."),
            ("selector", "Change the objects whose labels match this selector."),
        ],
    },
    Page {
        path: "annotate",
        short: "Add, change or remove annotations",
        long: "Add, change or remove annotations of objects.\n\n An annotation is KEY=VALUE; KEY- removes it. Changing an existing annotation needs --overwrite.",
        examples: &[
            ("Annotate a service account", "kubectl annotate serviceaccount build-robot owner=ci-team"),
            ("Change the annotation", "kubectl annotate sa build-robot owner=release-team --overwrite"),
            ("Remove the annotation", "kubectl annotate sa build-robot owner-"),
        ],
        usage: "annotate [--overwrite] (TYPE NAME | TYPE/NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [options]",
        options: &[
            ("all", "Change every object of the type in the namespace."),
            ("dry-run", "\"none\", \"server\" or \"client\": with client or server, show the change without saving it."),
            ("list", "Print the annotations of the objects."),
            OUTPUT,
            ("overwrite", "Allow replacing existing annotations."),
            ("selector", "Change the objects whose labels match this selector."),
        ],
    },
    Page {
        path: "run",
        short: "Start a pod running an image",
        long: "Create a pod that runs one container from an image.",
        examples: &[
            ("Start a pod running nginx", "kubectl run web --image=nginx"),
            ("Start a pod that uses the service account build-robot", "kubectl run web --image=nginx --overrides='{\"spec\":{\"serviceAccountName\":\"build-robot\"}}'"),
            ("Show the pod that would be created", "kubectl run web --image=nginx --dry-run=client -o yaml"),
            ("Start a pod with a command of your own", "kubectl run sleeper --image=busybox --restart=Never --command -- sleep 3600"),
        ],
        usage: "run NAME --image=image [--env=\"key=value\"] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]",
        options: &[
            ("annotations", "Annotations for the pod."),
            ("command", "Use the words after -- as the command instead of the image's arguments."),
            DRY_RUN,
            ("env", "Environment variables for the container, as KEY=VALUE."),
            ("image", "The image of the container."),
            ("image-pull-policy", "The container's image pull policy."),
            ("labels", "Labels for the pod, as KEY=VALUE,KEY=VALUE (default run=NAME)."),
            OUTPUT,
            ("overrides", "JSON merged into the generated pod before it is sent."),
            ("port", "The port the container exposes."),
            ("restart", "The pod's restart policy: Always, OnFailure or Never."),
        ],
    },
    Page {
        path: "version",
        short: "Show kubectl's and the server's versions",
        long: "Show the versions of kubectl and of the API server.",
        examples: &[("Show both versions", "kubectl version")],
        usage: "version [flags] [options]",
        options: &[("client", "Show only kubectl's version."), ("output", "yaml or json.")],
    },
    Page {
        path: "api-resources",
        short: "List the resource types the server serves",
        long: "List the resource types the API server serves.",
        examples: &[
            ("List every resource type", "kubectl api-resources"),
            ("List the RBAC types", "kubectl api-resources --api-group=rbac.authorization.k8s.io"),
            ("List the cluster-wide types, with their verbs", "kubectl api-resources --namespaced=false -o wide"),
        ],
        usage: "api-resources [flags] [options]",
        options: &[
            ("api-group", "Only resources of this API group."),
            ("namespaced", "true for namespaced resources only, false for cluster-wide ones only."),
            ("no-headers", "Leave out the header."),
            ("output", "wide (adds VERBS) or name."),
        ],
    },
    Page {
        path: "api-versions",
        short: "List the API versions the server serves",
        long: "List the API versions the server serves, as group/version.",
        examples: &[("List the API versions", "kubectl api-versions")],
        usage: "api-versions [options]",
        options: &[],
    },
    Page {
        path: "explain",
        short: "Describe the fields of a resource type",
        long: "Describe the fields of a resource type.\n\n Name a field with a dotted path, such as serviceaccounts.automountServiceAccountToken.",
        examples: &[
            ("Describe service accounts", "kubectl explain serviceaccounts"),
            ("Describe one field", "kubectl explain pods.spec.serviceAccountName"),
            ("Show every field below spec", "kubectl explain pods.spec --recursive"),
        ],
        usage: "explain TYPE [--recursive=FALSE|TRUE] [options]",
        options: &[("recursive", "Show the names of all fields below, without descriptions.")],
    },
    Page {
        path: "config",
        short: "Show or change the kubeconfig",
        long: "Show and change the kubeconfig: the cluster, user and context kubectl uses.\n\n The playground's kubeconfig has one cluster, kind-saplay, and starts with one user and one context of that name (the admin). Add a user with a service account's token and a context for it to work as that service account.",
        examples: &[],
        usage: "config SUBCOMMAND [options]",
        options: &[],
    },
    Page {
        path: "config view",
        short: "Show the kubeconfig",
        long: "Show the kubeconfig, with certificate and key data left out.",
        examples: &[
            ("Show the kubeconfig", "kubectl config view"),
            ("Show only what the current context uses", "kubectl config view --minify"),
        ],
        usage: "config view [flags] [options]",
        options: &[("minify", "Keep only what the current context uses."), ("output", "yaml or json.")],
    },
    Page {
        path: "config current-context",
        short: "Show the current context",
        long: "Show the name of the current context.",
        examples: &[("Show the current context", "kubectl config current-context")],
        usage: "config current-context [flags] [options]",
        options: &[],
    },
    Page {
        path: "config get-contexts",
        short: "List the contexts",
        long: "List the contexts of the kubeconfig; * marks the current one.",
        examples: &[("List the contexts", "kubectl config get-contexts")],
        usage: "config get-contexts [(-o|--output=)name)] [options]",
        options: &[("no-headers", "Leave out the header."), ("output", "name prints only the names.")],
    },
    Page {
        path: "config set-context",
        short: "Change a context",
        long: "Add a context to the kubeconfig, or change one: its cluster, user and default namespace.",
        examples: &[
            ("Work in kube-system from now on", "kubectl config set-context --current --namespace=kube-system"),
            ("A context for the user robot", "kubectl config set-context robot --cluster=kind-saplay --user=robot"),
        ],
        usage: "config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [options]",
        options: &[
            ("cluster", "The context's cluster (the playground has kind-saplay)."),
            ("current", "Change the current context."),
            ("namespace", "The context's default namespace."),
            ("user", "The context's user."),
        ],
    },
    Page {
        path: "config set-credentials",
        short: "Set a user entry in kubeconfig",
        long: "Add a user to the kubeconfig, or change one. The playground's users authenticate with a bearer token.",
        examples: &[(
            "A user that sends a service account's token",
            "kubectl config set-credentials robot --token=$(kubectl create token robot)",
        )],
        usage: "config set-credentials NAME [--token=bearer_token] [options]",
        options: &[("token", "The bearer token the user sends.")],
    },
    Page {
        path: "config get-users",
        short: "Display users defined in the kubeconfig",
        long: "List the users of the kubeconfig.",
        examples: &[("List the users", "kubectl config get-users")],
        usage: "config get-users [options]",
        options: &[],
    },
    Page {
        path: "config get-clusters",
        short: "Display clusters defined in the kubeconfig",
        long: "List the clusters of the kubeconfig.",
        examples: &[("List the clusters", "kubectl config get-clusters")],
        usage: "config get-clusters [options]",
        options: &[],
    },
    Page {
        path: "config delete-context",
        short: "Delete the specified context from the kubeconfig",
        long: "Delete a context from the kubeconfig.",
        examples: &[("Delete the context robot", "kubectl config delete-context robot")],
        usage: "config delete-context NAME [options]",
        options: &[],
    },
    Page {
        path: "config delete-user",
        short: "Delete the specified user from the kubeconfig",
        long: "Delete a user from the kubeconfig.",
        examples: &[("Delete the user robot", "kubectl config delete-user robot")],
        usage: "config delete-user NAME [options]",
        options: &[],
    },
    Page {
        path: "config rename-context",
        short: "Rename a context from the kubeconfig file",
        long: "Rename a context of the kubeconfig; a renamed current context stays current.",
        examples: &[("Rename the context robot to ci", "kubectl config rename-context robot ci")],
        usage: "config rename-context CONTEXT_NAME NEW_NAME [options]",
        options: &[],
    },
    Page {
        path: "config use-context",
        short: "Switch to a context",
        long: "Make a context the current one.",
        examples: &[("Use the context kind-saplay", "kubectl config use-context kind-saplay")],
        usage: "config use-context CONTEXT_NAME [options]",
        options: &[],
    },
    Page {
        path: "create deployment",
        short: "Create a deployment",
        long: "Create a deployment that runs the given image; its ReplicaSet then starts the pods.",
        examples: &[
            ("A deployment running nginx", "kubectl create deployment web --image=nginx"),
            ("Three replicas, with port 80 declared", "kubectl create deployment web --image=nginx --replicas=3 --port=80"),
            ("A deployment whose container runs a command", "kubectl create deployment clock --image=busybox -- date"),
        ],
        usage: "create deployment NAME --image=image -- [COMMAND] [args...] [options]",
        options: &[
            DRY_RUN,
            ("image", "The image to run; repeat for several containers."),
            OUTPUT,
            ("port", "The container port the first container declares."),
            ("replicas", "How many pods to run."),
        ],
    },
    Page {
        path: "create job",
        short: "Create a job with the specified name",
        long: "Create a job that runs the given image once; its pod is named after the job and does not restart. --from=cronjob/NAME is not available here: the playground serves no CronJobs.",
        examples: &[
            ("A job running busybox", "kubectl create job my-job --image=busybox"),
            ("A job whose container runs a command", "kubectl create job my-job --image=busybox -- date"),
        ],
        usage: "create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...] [options]",
        options: &[DRY_RUN, ("image", "The image to run."), OUTPUT],
    },
    Page {
        path: "scale",
        short: "Set a new size for a deployment, replica set or stateful set",
        long: "Set how many replicas a deployment, replica set or stateful set runs, through its scale subresource.\n\n With --current-replicas, the change is made only if the current size is the one given.",
        examples: &[
            ("Run three pods of the deployment web", "kubectl scale deployment/web --replicas=3"),
            ("Scale to 1 only if it runs 3 now", "kubectl scale --current-replicas=3 --replicas=1 deployment/web"),
        ],
        usage: "scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]",
        options: &[
            ("current-replicas", "Only scale if the current size is this one (-1: any)."),
            DRY_RUN,
            OUTPUT,
            ("replicas", "The new number of replicas."),
        ],
    },
    Page {
        path: "rollout",
        short: "Manage the rollout of a resource",
        long: "Watch, restart, list and undo the rollouts of deployments, daemon sets and stateful sets.",
        examples: &[
            ("Wait until the deployment web has rolled out", "kubectl rollout status deployment/web"),
            ("Start new pods (and new tokens) for the deployment web", "kubectl rollout restart deployment/web"),
            ("Go back to the previous revision", "kubectl rollout undo deployment/web"),
        ],
        usage: "rollout SUBCOMMAND [options]",
        options: &[],
    },
    Page {
        path: "rollout status",
        short: "Show the status of the rollout",
        long: "Show how far the latest rollout got, and wait until it is done. The playground waits on its simulated clock: time moves on to the controllers' next steps until the rollout finishes, fails, or the timeout passes (without --timeout, a little past the Deployment's progress deadline, or ten minutes).",
        examples: &[("Wait for the deployment web", "kubectl rollout status deployment/web")],
        usage: "rollout status (TYPE NAME | TYPE/NAME) [flags] [options]",
        options: &[
            ("timeout", "How long to wait (e.g. 2m) before giving up."),
            ("watch", "Wait until the rollout is done; with false, show the status once."),
        ],
    },
    Page {
        path: "rollout restart",
        short: "Restart a resource",
        long: "Restart the pods of a deployment, daemon set or stateful set: the pod template gets a kubectl.kubernetes.io/restartedAt annotation, so the controller rolls out new pods, each with a new service account token.",
        examples: &[("Restart the deployment web", "kubectl rollout restart deployment/web")],
        usage: "rollout restart RESOURCE [options]",
        options: &[OUTPUT],
    },
    Page {
        path: "rollout pause",
        short: "Mark the provided resource as paused",
        long: "Pause a deployment: changes to its pod template then start no rollout until it is resumed.",
        examples: &[("Pause the deployment web", "kubectl rollout pause deployment/web")],
        usage: "rollout pause RESOURCE [options]",
        options: &[OUTPUT],
    },
    Page {
        path: "rollout resume",
        short: "Resume a paused resource",
        long: "Resume a paused deployment: the controller rolls out the pod template as it now is.",
        examples: &[("Resume the deployment web", "kubectl rollout resume deployment/web")],
        usage: "rollout resume RESOURCE [options]",
        options: &[OUTPUT],
    },
    Page {
        path: "rollout history",
        short: "View rollout history",
        long: "List the revisions of a deployment (one per ReplicaSet), or show the pod template of one revision.",
        examples: &[
            ("List the revisions of the deployment web", "kubectl rollout history deployment/web"),
            ("Show revision 2", "kubectl rollout history deployment/web --revision=2"),
        ],
        usage: "rollout history (TYPE NAME | TYPE/NAME) [flags] [options]",
        options: &[("revision", "Show the pod template of this revision.")],
    },
    Page {
        path: "rollout undo",
        short: "Undo a previous rollout",
        long: "Roll a deployment back to the pod template of an earlier revision (by default the one before the current).",
        examples: &[
            ("Go back to the previous revision", "kubectl rollout undo deployment/web"),
            ("Go back to revision 1", "kubectl rollout undo deployment/web --to-revision=1"),
        ],
        usage: "rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]",
        options: &[DRY_RUN, ("to-revision", "The revision to go back to; 0 means the previous one.")],
    },
    Page {
        path: "set",
        short: "Set specific features on objects",
        long: "Change parts of existing objects, such as the service account or the images of a pod template.",
        examples: &[],
        usage: "set SUBCOMMAND [options]",
        options: &[],
    },
    Page {
        path: "set serviceaccount",
        short: "Update the service account of a resource",
        long: "Set the service account of a pod template (deployment, replica set, daemon set, stateful set, job). The controller rolls out new pods that run as the new service account, with its tokens.",
        examples: &[
            ("Run the deployment web as the service account deployer", "kubectl set serviceaccount deployment web deployer"),
            ("The same, shown without saving", "kubectl set sa deployment/web deployer --dry-run=client -o yaml"),
        ],
        usage: "set serviceaccount (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT [options]",
        options: &[DRY_RUN, OUTPUT],
    },
    Page {
        path: "set subject",
        short: "Add users, groups or service accounts to a role binding",
        long: "Add subjects to a RoleBinding or ClusterRoleBinding: those it does not name yet are appended; it is not changed when it names them all.",
        examples: &[
            ("Let the service account build-robot use the binding admin", "kubectl set subject rolebinding admin --serviceaccount=default:build-robot"),
            ("Add a user and a group to a cluster role binding", "kubectl set subject clusterrolebinding viewers --user=alice --group=devs"),
        ],
        usage: "set subject (-f FILENAME | TYPE NAME) [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]",
        options: &[
            ("group", "A group to add; repeat for several."),
            ("serviceaccount", "A service account to add, NAMESPACE:NAME (an empty namespace is the current one, for a RoleBinding); repeat for several."),
            ("user", "A user to add; repeat for several."),
            DRY_RUN,
            OUTPUT,
        ],
    },
    Page {
        path: "set image",
        short: "Update the image of a pod template",
        long: "Set the image of containers in a pod or pod template, by container name (* for all).",
        examples: &[
            ("Run nginx:1.27 in the container nginx of the deployment web", "kubectl set image deployment/web nginx=nginx:1.27"),
            ("The same image for every container", "kubectl set image deployment/web '*=nginx:1.27'"),
        ],
        usage: "set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]",
        options: &[DRY_RUN, OUTPUT],
    },
    Page {
        path: "create service",
        short: "Create a service of one of four types",
        long: "Create a service: clusterip, nodeport, loadbalancer or externalname. Its selector is app=NAME, so it reaches the pods labelled so (kubectl create deployment NAME labels its pods that way).",
        examples: &[("A service in front of the pods labelled app=web", "kubectl create service clusterip web --tcp=80:8080")],
        usage: "create service (clusterip | nodeport | loadbalancer | externalname) NAME [options]",
        options: &[],
    },
    Page {
        path: "create service clusterip",
        short: "Create a ClusterIP service",
        long: "Create a service reachable at a cluster IP inside the cluster. Each --tcp is port[:targetPort]; --clusterip=None makes a headless service.",
        examples: &[
            ("Port 80 of the service to port 8080 of the pods", "kubectl create service clusterip web --tcp=80:8080"),
            ("A headless service", "kubectl create service clusterip db --clusterip=\"None\""),
        ],
        usage: "create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]",
        options: &[
            ("clusterip", "The cluster IP to ask for; None for a headless service, empty to have one allocated."),
            ("tcp", "port[:targetPort] of a TCP port; repeat for several."),
            DRY_RUN,
            OUTPUT,
        ],
    },
    Page {
        path: "create service nodeport",
        short: "Create a NodePort service",
        long: "Create a service that is also reachable on a port of every node (30000-32767, allocated unless --node-port asks for one).",
        examples: &[("A node port in front of the pods labelled app=web", "kubectl create service nodeport web --tcp=80:8080 --node-port=30080")],
        usage: "create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
        options: &[
            ("node-port", "The node port to ask for (0: allocate one)."),
            ("tcp", "port[:targetPort] of a TCP port; repeat for several."),
            DRY_RUN,
            OUTPUT,
        ],
    },
    Page {
        path: "create service loadbalancer",
        short: "Create a LoadBalancer service",
        long: "Create a service that asks the cloud for an external load balancer (in the playground, as on kind, its external IP stays <pending>).",
        examples: &[("A load balancer in front of the pods labelled app=web", "kubectl create service loadbalancer web --tcp=443:8443")],
        usage: "create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
        options: &[("tcp", "port[:targetPort] of a TCP port; repeat for several."), DRY_RUN, OUTPUT],
    },
    Page {
        path: "create service externalname",
        short: "Create an ExternalName service",
        long: "Create a service that is only a DNS name (a CNAME) for a host outside the cluster.",
        examples: &[("A name in the cluster for an outside database", "kubectl create service externalname db --external-name=db.example.com")],
        usage: "create service externalname NAME --external-name external.name [--dry-run=server|client|none] [options]",
        options: &[("external-name", "The outside host name the service stands for."), DRY_RUN, OUTPUT],
    },
    Page {
        path: "expose",
        short: "Expose a pod, deployment or service as a new service",
        long: "Create a service for an existing pod, deployment, replica set or service. Its selector is taken from the object (a deployment's or replica set's selector, a pod's labels) unless --selector gives one, and its port from the object's ports unless --port gives one.",
        examples: &[
            ("A service for the deployment web, port 80 to the pods' port 8080", "kubectl expose deployment web --port=80 --target-port=8080"),
            ("The same, reachable on a node port", "kubectl expose deployment web --port=80 --type=NodePort"),
            ("A service for one pod, under another name", "kubectl expose pod web --port=80 --name=web-direct"),
        ],
        usage: "expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]",
        options: &[
            ("filename", "A file holding the object to expose, or - for standard input."),
            ("name", "The new service's name (default: the object's)."),
            ("port", "The service's port (default: the object's ports)."),
            ("protocol", "TCP, UDP or SCTP (default: the object's, else TCP)."),
            ("selector", "The selector to use instead of the object's (key=value,...)."),
            ("target-port", "The pods' port (number or name) the service sends to (default: --port)."),
            ("type", "ClusterIP (default), NodePort, LoadBalancer or ExternalName."),
            DRY_RUN,
            OUTPUT,
        ],
    },
    Page {
        path: "replace",
        short: "Replace a resource by file name or stdin",
        long: "Replace objects with the ones in a file: each is sent whole (a PUT), so the file must hold the complete object, as kubectl get TYPE NAME -o yaml prints it. With --force the object is deleted and created again from the file: the way to change what cannot be changed in place, such as a pod's service account. The playground waits for the deletion on its simulated clock.",
        examples: &[
            ("Replace a pod with the one in pod.yaml", "kubectl replace -f pod.yaml"),
            ("Replace from standard input", "kubectl get sa build-robot -o yaml | kubectl replace -f -"),
            ("Delete the pod and create it again from the file", "kubectl replace --force -f pod.yaml"),
        ],
        usage: "replace -f FILENAME [options]",
        options: &[
            ("filename", "The file (or - for standard input) with the objects."),
            ("force", "Delete the objects, wait until they are gone, then create them from the file."),
            ("grace-period", "With --force: seconds the deleted pods get to stop (-1: their own)."),
            DRY_RUN,
            OUTPUT,
        ],
    },
    Page {
        path: "edit",
        short: "Edit a resource on the server",
        long: "Edit an object in the playground's YAML editor. kubectl opens the object in a terminal editor; here the YAML tab opens with it, under kubectl's header, and its Save button runs this command again with the saved text as standard input (kubectl edit TYPE/NAME <<'EOF' ...). What changed is sent as a strategic merge patch; the name, kind and apiVersion cannot change.\n\n With -o json the object is edited as JSON (without the header).",
        examples: &[
            ("Edit the service account default", "kubectl edit serviceaccount/default"),
            ("Edit the deployment web as JSON", "kubectl edit deployment web -o json"),
            ("Save an edit from the terminal, as the editor's Save does", "kubectl edit sa/default <<'EOF' ... EOF"),
        ],
        usage: "edit (RESOURCE/NAME | -f FILENAME) [options]",
        options: &[
            ("field-manager", "The name recorded as the manager of the fields the edit sets."),
            ("output", "Edit as yaml (default) or json; the outcome is printed the same way."),
            ("output-patch", "Print the patch that is sent."),
        ],
    },
    Page {
        path: "events",
        short: "List events",
        long: "Show events: what controllers, the scheduler and the kubelet reported about objects, oldest first, with how long ago each was last seen (and, for a repeated event, how often and since when).\n\n Lists the current namespace, every namespace with -A, or one object's events with --for. The playground cannot stream, so --watch is not available: run the command again to see new events.",
        examples: &[
            ("Events in the current namespace", "kubectl events"),
            ("Events in every namespace", "kubectl events -A"),
            ("Events about one pod", "kubectl events --for pod/web"),
            ("Only warnings", "kubectl events --types=Warning"),
            ("Events as YAML", "kubectl events -o yaml"),
        ],
        usage: "events [(-o|--output=)json|yaml|name|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--types=Normal,Warning]",
        options: &[
            ("all-namespaces", "List the events of every namespace (a NAMESPACE column comes first)."),
            ("for", "Only the events about this object, as TYPE/NAME (pod/web, deploy/web)."),
            ("no-headers", "Leave out the header of the table."),
            ("types", "Only events of these types: Normal, Warning (comma-separated)."),
            ("watch", "Watch for more events: not available in the playground."),
            OUTPUT,
        ],
    },
    Page {
        path: "wait",
        short: "Experimental: Wait for a specific condition on one or many resources",
        long: "Experimental: Wait until objects are deleted, exist, have a status condition, or until a JSONPath expression gives a value.\n\n The playground waits on its simulated clock: time moves on to the cluster's next event until the condition holds or the timeout has passed. \"condition met\" is printed for each object; -o changes that.",
        examples: &[
            ("Until the pod busybox1 is Ready", "kubectl wait --for=condition=Ready pod/busybox1"),
            ("Until its Ready condition is False (values are compared ignoring case)", "kubectl wait --for=condition=Ready=false pod/busybox1"),
            ("Until the pod's phase is Running", "kubectl wait --for=jsonpath='{.status.phase}'=Running pod/busybox1"),
            ("Until the secret busybox1 exists, for at most 30 seconds", "kubectl wait --for=create secret/busybox1 --timeout=30s"),
            ("Until the pod busybox1 is gone, for at most a minute", "kubectl wait --for=delete pod/busybox1 --timeout=60s"),
        ],
        usage: "wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
        options: &[
            ("all", "Every object of the given types in the namespace."),
            ("all-namespaces", "Look in every namespace (with -l or --all)."),
            ("field-selector", "Only the objects whose fields match (metadata.name=x, ...)."),
            ("for", "What to wait for: create, delete, condition=NAME[=VALUE] (VALUE defaults to true), or jsonpath='{EXPRESSION}'[=VALUE]."),
            ("selector", "Only the objects whose labels match (key=value,...)."),
            ("timeout", "How long to wait on the playground's clock; 0 checks once, a negative value waits a week."),
            OUTPUT,
        ],
    },
    Page {
        path: "options",
        short: "List the flags every command takes",
        long: "List the flags every command takes.",
        examples: &[],
        usage: "options [flags] [options]",
        options: &[],
    },
];

/// The global flags the playground acts on, with its own descriptions.
const GLOBAL_OPTIONS: &[(&str, &str)] = &[
    ("as", "Act as this user (impersonation), e.g. system:serviceaccount:default:build-robot."),
    ("as-group", "Act as a member of this group; repeat for several."),
    ("as-uid", "The UID to act as, with --as."),
    ("cluster", "The kubeconfig cluster to use; the playground has only kind-saplay."),
    ("context", "The kubeconfig context to use; the playground has only kind-saplay."),
    ("namespace", "The namespace to work in."),
    ("token", "Authenticate with this bearer token instead of the kubeconfig's user."),
    ("user", "The kubeconfig user to use; the playground has only kind-saplay."),
];

/// Commands of the root help, in kubectl's groups.
const GROUPS: &[(&str, &[&str])] = &[
    ("Basic Commands (Beginner)", &["create", "expose", "run", "set"]),
    ("Basic Commands (Intermediate)", &["explain", "get", "edit", "delete"]),
    ("Deploy Commands", &["rollout", "scale"]),
    ("Cluster Management Commands", &["cluster-info"]),
    ("Troubleshooting and Debugging Commands", &["describe", "exec", "auth", "events"]),
    ("Advanced Commands", &["apply", "patch", "replace", "wait"]),
    ("Settings Commands", &["label", "annotate"]),
    ("Other Commands", &["api-resources", "api-versions", "config", "version"]),
];

fn page(path: &str) -> Option<&'static Page> {
    PAGES.iter().find(|p| p.path == path)
}

/// Whether the playground has help for this command path.
pub(crate) fn has_page(path: &str) -> bool {
    path.is_empty() || page(path).is_some()
}

fn rpad(s: &str, width: usize) -> String {
    format!("{s:<width$}")
}

fn option_lines(flags: &[Flag], described: &[(&str, &str)]) -> String {
    let mut entries: Vec<(&Flag, &str)> = described
        .iter()
        .filter_map(|(long, text)| flags.iter().find(|f| f.long == *long).map(|f| (f, *text)))
        .collect();
    entries.sort_by_key(|(f, _)| f.long);
    let mut out = String::new();
    for (flag, text) in entries {
        let short = flag.short.map(|c| format!("-{c}, ")).unwrap_or_default();
        out.push_str(&format!("    {short}--{}={}:\n\t{text}\n\n", flag.long, flag.default));
    }
    out
}

fn subcommand_list(parent: &str) -> String {
    let subs: Vec<&Page> = PAGES
        .iter()
        .filter(|p| p.path.strip_prefix(parent).and_then(|r| r.strip_prefix(' ')).is_some_and(|r| !r.contains(' ')))
        .collect();
    let mut names: Vec<(&str, &str)> =
        subs.iter().map(|p| (p.path.rsplit(' ').next().unwrap_or(p.path), p.short)).collect();
    names.sort();
    let width = names.iter().map(|(n, _)| n.len()).max().unwrap_or(0).max(11) + 3;
    let mut out = String::from("Available Commands:\n");
    for (name, short) in names {
        out.push_str(&format!("  {}{short}\n", rpad(name, width)));
    }
    out.push('\n');
    out
}

/// The help text of a command path (`""` for kubectl itself).
#[inline(never)]
pub(crate) fn render(path: &str) -> String {
    if path.is_empty() {
        return root();
    }
    if path == "options" {
        return options();
    }
    let Some(p) = page(path) else {
        return root();
    };
    let mut out = format!("{}\n\n", p.long);
    let aliases = cli::SUBCOMMANDS
        .iter()
        .find(|(parent, name, aliases)| format!("{parent} {name}") == path && !aliases.is_empty())
        .map(|(_, name, aliases)| format!("{name}, {}", aliases.join(", ")));
    if let Some(aliases) = aliases {
        out.push_str(&format!("Aliases:\n{aliases}\n\n"));
    }
    if !p.examples.is_empty() {
        out.push_str("Examples:\n");
        let blocks: Vec<String> = p.examples.iter().map(|(c, cmd)| format!("  # {c}\n  {cmd}\n")).collect();
        out.push_str(&blocks.join("  \n"));
        out.push('\n');
    }
    let has_subcommands = PAGES.iter().any(|q| q.path.starts_with(&format!("{path} ")));
    if has_subcommands {
        out.push_str(&subcommand_list(path));
    }
    let options = option_lines(cli::command_flags(path), p.options);
    if !options.is_empty() {
        out.push_str("Options:\n");
        out.push_str(&options);
    }
    out.push_str(&format!("Usage:\n  kubectl {}\n\n", p.usage));
    if has_subcommands {
        out.push_str(&format!("Use \"kubectl {path} <command> --help\" for more information about a given command.\n"));
    }
    out.push_str("Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    out
}

fn root() -> String {
    format!(
        "kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\n{}",
        root_usage()
    )
}

fn root_usage() -> String {
    let mut out = String::new();
    let width = GROUPS.iter().flat_map(|(_, c)| c.iter()).map(|c| c.len()).max().unwrap_or(0).max(13) + 3;
    for (group, commands) in GROUPS {
        out.push_str(&format!("{group}:\n"));
        for command in *commands {
            let short = page(command).map(|p| p.short).unwrap_or_default();
            out.push_str(&format!("  {}{short}\n", rpad(command, width)));
        }
        out.push('\n');
    }
    out.push_str("Usage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    out
}

/// `kubectl options`: the global flags.
#[inline(never)]
pub(crate) fn options() -> String {
    let mut out = String::from("The following options can be passed to any command:\n\n");
    out.push_str(&option_lines(cli::global_flags(), GLOBAL_OPTIONS));
    out
}

/// `kubectl help TOPIC…`: the help of that command, or kubectl's complaint
/// and the root help.
#[inline(never)]
pub(crate) fn help_topic(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return root();
    };
    let path = match words.get(1) {
        Some(sub) => {
            let joined = format!("{first} {sub}");
            let alias = cli::SUBCOMMANDS
                .iter()
                .find(|(parent, _, aliases)| parent == first && aliases.contains(&sub.as_str()))
                .map(|(parent, name, _)| format!("{parent} {name}"));
            alias.unwrap_or(joined)
        }
        None => first.clone(),
    };
    if has_page(&path) {
        return render(&path);
    }
    if has_page(first) {
        return render(first);
    }
    format!("Unknown help topic [`{first}`]\n\n\n{}", root_usage())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_describes_real_flags_only() {
        for p in PAGES {
            let flags = cli::command_flags(p.path);
            for (long, _) in p.options {
                assert!(flags.iter().any(|f| f.long == *long), "{}: --{long} is not a flag", p.path);
            }
        }
        for (long, _) in GLOBAL_OPTIONS {
            assert!(cli::global_flags().iter().any(|f| f.long == *long), "--{long}");
        }
    }

    #[test]
    fn root_lists_only_commands_with_pages() {
        for (_, commands) in GROUPS {
            for c in *commands {
                assert!(page(c).is_some(), "{c}");
            }
        }
    }
}

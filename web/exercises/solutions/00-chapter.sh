# Solution for 00-chapter.yaml: the lines a learner types, step by step.
# Check it: saplay check web/exercises/00-chapter.yaml --solution web/exercises/solutions/00-chapter.sh
# user-vs-service-accounts: People and programs
kubectl auth whoami
kubectl get serviceaccounts -A
# why-they-matter: Why programs need an identity
kubectl auth can-i list pods --as=system:serviceaccount:default:default
# default-service-account: The default service account
kubectl get sa
kubectl describe serviceaccount default
# tokens: Tokens
kubectl create token default
# tokens-in-pods: Tokens inside pods
kubectl run web --image=nginx
kubectl exec web -- ls /var/run/secrets/kubernetes.io/serviceaccount
# pod-with-service-account: A pod with its own account
kubectl create serviceaccount dashboard-sa
kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: dashboard
spec:
  serviceAccountName: dashboard-sa
  containers:
  - name: dashboard
    image: nginx
EOF
# creating-service-accounts: Creating service accounts
kubectl create serviceaccount ci-bot
kubectl apply -f - <<'EOF'
apiVersion: v1
kind: ServiceAccount
metadata:
  name: reporter
EOF
# creating-tokens: Tokens for tools outside the cluster
kubectl create token dashboard-sa
kubectl create token dashboard-sa --duration=10m
# using-the-token: Using the token
TOKEN=$(kubectl create token dashboard-sa)
curl -k -H "Authorization: Bearer $TOKEN" https://172.18.0.2:6443/api/v1/namespaces/default/pods
kubectl create rolebinding dashboard-view --clusterrole=view --serviceaccount=default:dashboard-sa
curl -k -H "Authorization: Bearer $TOKEN" https://172.18.0.2:6443/api/v1/namespaces/default/pods
# rotation: Rotation
sleep 25h
kubectl exec dashboard -- cat /var/run/secrets/kubernetes.io/serviceaccount/token
# disable-mounting: Switching the token off
kubectl patch serviceaccount reporter -p '{"automountServiceAccountToken":false}'
kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: quiet
spec:
  automountServiceAccountToken: false
  containers:
  - name: app
    image: nginx
EOF
# best-practices: Good habits
kubectl delete pod web --grace-period=0 --force
kubectl run web --image=nginx --overrides='{"spec":{"automountServiceAccountToken":false}}'
# risks: What goes wrong
kubectl auth can-i --list --as=system:serviceaccount:default:dashboard-sa
# typical-usage: Typical workloads
kubectl create namespace monitoring
kubectl create serviceaccount prometheus -n monitoring
kubectl create clusterrolebinding prometheus-view --clusterrole=view --serviceaccount=monitoring:prometheus

# Solution for 22-automount.yaml: the lines a learner types, step by step.
# Check it: saplay check web/exercises/22-automount.yaml --solution web/exercises/solutions/22-automount.sh
# on-the-account: On the account
kubectl patch serviceaccount batch -p '{"automountServiceAccountToken":false}'
kubectl run nightly --image=nginx --overrides='{"spec":{"serviceAccountName":"batch"}}'
# on-the-pod: The pod wins
kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: cleaner
spec:
  serviceAccountName: batch
  automountServiceAccountToken: true
  containers:
  - name: app
    image: nginx
EOF
# default-off: And the default account
kubectl patch serviceaccount default -p '{"automountServiceAccountToken":false}'
kubectl run static-site --image=nginx

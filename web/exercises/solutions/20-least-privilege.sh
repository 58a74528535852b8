# Solution for 20-least-privilege.yaml: the lines a learner types, step by step.
# Check it: saplay check web/exercises/20-least-privilege.yaml --solution web/exercises/solutions/20-least-privilege.sh
# account: Its own account
kubectl create serviceaccount report-job -n reports
# role: Exactly what it needs
kubectl create role config-reader -n reports --verb=get,list --resource=configmaps
kubectl create rolebinding report-job -n reports --role=config-reader --serviceaccount=reports:report-job
# pod: Run as it
kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: report
  namespace: reports
spec:
  serviceAccountName: report-job
  containers:
  - name: report
    image: nginx
EOF

# Solution for 11-lab-leaked-token.yaml: the lines a learner types, step by step.
# Check it: saplay check web/exercises/11-lab-leaked-token.yaml --solution web/exercises/solutions/11-lab-leaked-token.sh
# leak: The leak
LEAKED=$(kubectl exec inventory -- cat /var/run/secrets/kubernetes.io/serviceaccount/token)
curl -k -H "Authorization: Bearer $LEAKED" https://172.18.0.2:6443/api/v1/namespaces/default/secrets
# revoke: Revoke it
kubectl get pod inventory -o json | jq 'del(.status, .metadata.uid, .metadata.resourceVersion, .metadata.creationTimestamp)' > /tmp/inventory.json
kubectl delete pod inventory --grace-period=0 --force
kubectl create -f /tmp/inventory.json
# attack-again: Try the leaked token again
curl -k -H "Authorization: Bearer $LEAKED" https://172.18.0.2:6443/api/v1/namespaces/default/secrets

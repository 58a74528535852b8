# Solution for 13-lab-legacy-token.yaml: the lines a learner types, step by step.
# Check it: saplay check web/exercises/13-lab-legacy-token.yaml --solution web/exercises/solutions/13-lab-legacy-token.sh
# copy: Copy the token, wait three months
OLD=$(kubectl get secret legacy-ci-token -o jsonpath='{.data.token}' | base64 -d)
sleep 90d
curl -k -H "Authorization: Bearer $OLD" https://172.18.0.2:6443/api/v1/namespaces/default/pods
# fix: The fix
kubectl delete secret legacy-ci-token
NEW=$(kubectl create token legacy-ci --duration=1h)
# attack-again: The old token again
curl -k -H "Authorization: Bearer $OLD" https://172.18.0.2:6443/api/v1/namespaces/default/pods

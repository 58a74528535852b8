# Solution for 21-short-lived-token.yaml: the lines a learner types, step by step.
# Check it: saplay check web/exercises/21-short-lived-token.yaml --solution web/exercises/solutions/21-short-lived-token.sh
# token: A fifteen-minute token
TOKEN=$(kubectl create token metrics-reader --duration=15m)
# use: Use it
curl -k -H "Authorization: Bearer $TOKEN" https://172.18.0.2:6443/api/v1/namespaces/default/pods
# expire: Let it expire
sleep 20m
curl -k -H "Authorization: Bearer $TOKEN" https://172.18.0.2:6443/api/v1/namespaces/default/pods

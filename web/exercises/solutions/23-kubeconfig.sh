# Solution for 23-kubeconfig.yaml: the lines a learner types, step by step.
# Check it: saplay check web/exercises/23-kubeconfig.yaml --solution web/exercises/solutions/23-kubeconfig.sh
# token: A token for the account
TOKEN=$(kubectl create token deployer -n ci --duration=1h)
# user: A user that sends it
kubectl config set-credentials deployer --token=$TOKEN
# context: A context for it
kubectl config set-context deployer --cluster=kind-saplay --user=deployer --namespace=ci
# use: Work as the account
kubectl --context=deployer auth whoami
kubectl --context=deployer get pods
# limits: Only what its Role allows
kubectl --context=deployer get secrets

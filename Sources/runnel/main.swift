import RunnelCore
print("runnel")

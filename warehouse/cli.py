def main(argv=None, project_dir=None):
    print("engine not built yet"); return 0
